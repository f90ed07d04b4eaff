// Benchmark listener, run as a child process. Answers by path:
//   /ok...   204 at once      /fail...  500 at once      /hang...  answers after HANG_MS (past the hub's timeout)
// Records deliveries per path and, for bodies carrying bench.sentAt (epoch ms, high resolution),
// the publish-to-arrival latency. Controlled over IPC: {cmd:'stats'|'reset'} -> reply.
import http from 'node:http';

const HANG_MS = Number(process.env.HANG_MS ?? 5000);
let counts = new Map();
let latencies = [];
let total = 0;
let firstAt = 0;
let lastAt = 0;
const now = () => performance.timeOrigin + performance.now();

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = now();
    const path = req.url ?? '/';
    const kind = path.startsWith('/fail') ? 'fail' : path.startsWith('/hang') ? 'hang' : 'ok';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (kind === 'ok') {
      total++;
      if (!firstAt) firstAt = at;
      lastAt = at;
      const body = Buffer.concat(chunks);
      // Cheap: only look for the marker when present, to keep the receiver out of the measurement.
      const marker = body.indexOf('"sentAt":');
      if (marker >= 0) {
        const sentAt = parseFloat(body.subarray(marker + 9, marker + 40).toString());
        if (Number.isFinite(sentAt)) latencies.push(at - sentAt);
      }
      res.writeHead(204).end();
    } else if (kind === 'fail') {
      res.writeHead(500).end();
    } else {
      setTimeout(() => res.writeHead(200).end(), HANG_MS);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ ready: true, port: server.address().port }));

process.on('message', (msg) => {
  if (msg.cmd === 'reset') {
    counts = new Map();
    latencies = [];
    total = 0;
    firstAt = 0;
    lastAt = 0;
    process.send({ ok: true });
  } else if (msg.cmd === 'stats') {
    process.send({ counts: Object.fromEntries(counts), ok: total, firstAt, lastAt, latencies: msg.withLatencies ? latencies : undefined });
  }
});
