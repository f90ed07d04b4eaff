// Closed-loop load generator, run as a child process: CONNECTIONS concurrent loops POSTing BODY to
// URL for DURATION_MS over a keep-alive undici pool (with AUTHORIZATION as the header, when set). Prints one JSON line: requests, per-second rate,
// status counts and latency percentiles.
import { Pool } from 'undici';

const url = new URL(process.env.URL);
const connections = Number(process.env.CONNECTIONS ?? 32);
const durationMs = Number(process.env.DURATION_MS ?? 5000);
const body = process.env.BODY ?? '{}';
const expect = Number(process.env.EXPECT_STATUS ?? 201);
const headers = { 'content-type': 'application/json', ...(process.env.AUTHORIZATION ? { authorization: process.env.AUTHORIZATION } : {}) };

const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
const statuses = {};
const latencies = [];
let requests = 0;
const started = performance.now();
const deadline = started + durationMs;

async function loop() {
  while (performance.now() < deadline) {
    const t = performance.now();
    const res = await pool.request({ path: url.pathname + url.search, method: 'POST', body, headers });
    await res.body.dump();
    latencies.push(performance.now() - t);
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    requests++;
  }
}

await Promise.all(Array.from({ length: connections }, loop));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
await pool.close();
const ok = statuses[expect] ?? 0;
process.stdout.write(JSON.stringify({ requests, ok, perSecond: ok / elapsed, statuses, p50: pct(0.5), p99: pct(0.99), elapsed }) + '\n');
