// npm run bench [-- --quick]: ingest, fan-out, end-to-end latency (healthy and with failing and
// hanging hubs) and memory, for the embedded store and, when MONGODB_URL is set, for MongoDB; and
// in the same run the raw limits of this machine (a bare Node server, a bare undici client), to
// which the hub's figures are compared. With HUB_KAFKA_BROKERS, also fan-out to a kafka: hub (bench/kafka.mjs). Writes bench/results/latest.json (or latest-quick.json).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { KAFKA_BROKERS, kafkaFanout, kafkaRows } from './kafka.mjs';
import { BENCH_DIR, inParallel, nowMs, percentile, runLoad, sleep, startChild, startHub, waitFor } from './lib.mjs';

const quick = process.argv.includes('--quick');
const S = quick
  ? { loadMs: 2000, fanoutDeliveries: 2000, latencyMs: 2000, memHubs: 1000, memEvents: 10_000 }
  : { loadMs: 10_000, fanoutDeliveries: 20_000, latencyMs: 10_000, memHubs: 10_000, memEvents: 100_000 };
const CONNECTIONS = 32;
const LATENCY_WAIT_MS = 120_000;
// The schema-validation pair: the official TMF622 schemas imported, one conforming event, the same
// topic set to schemaValidation off and then enforce, so the two rows differ only by validation.
const TMF622 = JSON.parse(readFileSync(join(BENCH_DIR, '..', 'seeds', 'schemas', 'TMF622-ProductOrdering-v4.0.0.swagger.json'), 'utf8'));
const TMF_EVENT = JSON.stringify({
  eventType: 'ProductOrderStateChangeEvent',
  domain: 'commercial',
  priority: '3',
  event: { productOrder: { id: 'PO-1', '@type': 'ProductOrder', state: 'completed', productOrderItem: [{ id: '1', action: 'add', state: 'completed' }] } },
});
const EVENT = JSON.stringify({ eventType: 'ProductOrderStateChangeEvent', domain: 'commercial', priority: '3', event: { productOrder: { id: 'PO-1', state: 'completed' } } });

// MONGODB_URL is cleared for the embedded store: the hub would otherwise inherit it from this process.
const stores = [{ name: 'memory', env: { MONGODB_URL: '' } }];
if (process.env.MONGODB_URL) stores.push({ name: 'mongodb', env: { MONGODB_URL: process.env.MONGODB_URL } });
const results = { date: new Date().toISOString(), quick, machine: machine(), settings: S, raw: {}, stores: {} };
const log = (...args) => console.error('[bench]', ...args);

const receiver = await startChild('receiver.mjs', { HANG_MS: '5000' });
try {
  results.raw = await rawLimits();
  for (const store of stores) {
    const hubEnv = (extra = {}) => ({ ...store.env, HUB_DB_NAME: `bench_${randomUUID().slice(0, 8)}`, ...extra });
    const r = (results.stores[store.name] = {});
    r.ingest = { hubs0: await ingest(hubEnv(), 0), hubs10: await ingest(hubEnv(), 10) };
    r.ingestSchema = { off: await ingestValidated(hubEnv(), 'off'), enforce: await ingestValidated(hubEnv(), 'enforce') };
    r.ingestSchema.enforceVsOff = r.ingestSchema.enforce.perSecond / r.ingestSchema.off.perSecond;
    r.fanout = {};
    for (const hubs of [1, 100, 1000]) r.fanout[`hubs${hubs}`] = await fanout(hubEnv(), hubs);
    if (KAFKA_BROKERS) r.kafkaFanout = await kafkaFanout(hubEnv(), { deliveries: S.fanoutDeliveries, log, rawClientPerSecond: results.raw.clientPerSecond });
    r.latency = await latency(hubEnv({ HUB_DELIVERY_TIMEOUT: '1s' }), false);
    r.latencyFaulty = await latency(hubEnv({ HUB_DELIVERY_TIMEOUT: '1s' }), true);
    r.memory = await memory(hubEnv());
  }
} finally {
  await receiver.stop();
}

mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
const file = join(BENCH_DIR, 'results', quick ? 'latest-quick.json' : 'latest.json');
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(table(results));
console.log(`\nwritten to ${file}`);

async function rawLimits() {
  log('raw: bare Node server under the load generator');
  const raw = await startChild('raw-server.mjs');
  try {
    const server = await runLoad({ URL: raw.url('/event'), BODY: EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs) });
    log('raw: bare undici client posting to the receiver');
    const client = await runLoad({ URL: receiver.url('/ok'), BODY: EVENT, CONNECTIONS: '64', DURATION_MS: String(S.loadMs), EXPECT_STATUS: '204' });
    return { serverPerSecond: server.perSecond, clientPerSecond: client.perSecond };
  } finally {
    await raw.stop();
  }
}

async function topicWithHubs(hub, hubs, callbackPath = () => '/ok') {
  const topic = await hub.post('/topic', { name: 'bench' });
  await inParallel(hubs, 16, (i) => hub.post(`/topic/${topic.id}/hub`, { callback: receiver.url(`${callbackPath(i)}/${i}`) }));
  return topic;
}

async function ingest(env, hubs) {
  log(`ingest with ${hubs} hubs`);
  const hub = await startHub(env);
  try {
    const topic = await topicWithHubs(hub, hubs);
    const res = await runLoad({ URL: hub.eventUrl(topic.id), BODY: EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs) });
    if (res.ok !== res.requests) throw new Error(`ingest: ${res.requests - res.ok} requests failed: ${JSON.stringify(res.statuses)}`);
    return { perSecond: res.perSecond, p50ms: res.p50, p99ms: res.p99, ratioToRawServer: res.perSecond / results.raw.serverPerSecond };
  } finally {
    await hub.stop();
  }
}

async function ingestValidated(env, schemaValidation) {
  log(`ingest, TMF622 schemas registered, schemaValidation ${schemaValidation}`);
  const hub = await startHub(env);
  try {
    const imported = await hub.post('/schema/import', TMF622);
    if (!imported.created?.some((c) => c.eventType === 'ProductOrderStateChangeEvent')) throw new Error(`import failed: ${JSON.stringify(imported)}`);
    const topic = await hub.post('/topic', { name: 'bench', schemaValidation });
    const res = await runLoad({ URL: hub.eventUrl(topic.id), BODY: TMF_EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs) });
    if (res.ok !== res.requests) throw new Error(`ingest (${schemaValidation}): ${res.requests - res.ok} requests failed: ${JSON.stringify(res.statuses)}`);
    return { perSecond: res.perSecond, p50ms: res.p50, p99ms: res.p99, ratioToRawServer: res.perSecond / results.raw.serverPerSecond };
  } finally {
    await hub.stop();
  }
}

async function fanout(env, hubs) {
  const events = Math.max(5, Math.ceil(S.fanoutDeliveries / hubs));
  const expected = events * hubs;
  log(`fan-out: ${events} events x ${hubs} hubs`);
  const hub = await startHub(env);
  try {
    const topic = await topicWithHubs(hub, hubs);
    await receiver.ask({ cmd: 'reset' });
    const started = nowMs();
    await inParallel(events, 8, () => hub.post(`/topic/${topic.id}/event`, JSON.parse(EVENT)));
    const stats = await waitFor(async () => {
      const s = await receiver.ask({ cmd: 'stats' });
      return s.ok >= expected ? s : undefined;
    }, 300_000, `${expected} deliveries`);
    const seconds = (stats.lastAt - started) / 1000;
    return { events, hubs, deliveries: stats.ok, perSecond: stats.ok / seconds, ratioToRawClient: stats.ok / seconds / results.raw.clientPerSecond };
  } finally {
    await hub.stop();
  }
}

async function latency(env, faulty) {
  const rate = 500;
  const label = faulty ? '1 hub failing (500) and 1 hanging past the timeout, of 10' : '10 healthy hubs';
  log(`end-to-end latency at ${rate} events/s, ${label}`);
  const hub = await startHub(env);
  try {
    const path = (i) => (faulty && i === 0 ? '/fail' : faulty && i === 1 ? '/hang' : '/ok');
    const topic = await topicWithHubs(hub, 10, path);
    const healthy = faulty ? 8 : 10;
    await receiver.ask({ cmd: 'reset' });
    const total = Math.round((rate * S.latencyMs) / 1000);
    const started = performance.now();
    let sent = 0;
    const inflight = [];
    // Open loop: events go out on schedule whether or not earlier ones are answered.
    while (sent < total) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < Math.min(due, total); sent++) {
        inflight.push(hub.post(`/topic/${topic.id}/event`, { eventType: 'Bench', bench: { sentAt: nowMs() } }));
      }
      await sleep(1);
    }
    await Promise.all(inflight);
    const expected = total * healthy;
    // A store that cannot keep up is reported as such (complete: false), not as a crash of the run.
    const complete = await waitFor(async () => {
      const s = await receiver.ask({ cmd: 'stats' });
      return s.ok >= expected ? true : undefined;
    }, LATENCY_WAIT_MS, 'every healthy delivery').catch(() => false);
    const full = await receiver.ask({ cmd: 'stats', withLatencies: true });
    const sorted = full.latencies.sort((a, b) => a - b);
    if (!complete) log(`only ${full.ok} of ${expected} healthy deliveries arrived within ${LATENCY_WAIT_MS / 1000} s: percentiles cover those`);
    return { rate, events: total, healthyHubs: healthy, expected, deliveries: full.ok, complete, p50ms: percentile(sorted, 0.5), p99ms: percentile(sorted, 0.99), maxms: sorted.at(-1) };
  } finally {
    await hub.stop();
  }
}

async function memory(env) {
  log(`memory: ${S.memHubs} hubs and ${S.memEvents} events`);
  const hub = await startHub(env);
  try {
    await sleep(1000);
    const base = hub.rssBytes();
    const hubsTopic = await hub.post('/topic', { name: 'many-hubs' });
    // Hubs whose query never matches: this measures what a hub costs to keep, not deliveries.
    await inParallel(S.memHubs, 32, (i) => hub.post(`/topic/${hubsTopic.id}/hub`, { callback: receiver.url(`/ok/${i}`), query: 'eventType=Never' }));
    await sleep(500);
    const afterHubs = hub.rssBytes();
    const eventsTopic = await hub.post('/topic', { name: 'many-events' });
    let sample;
    await inParallel(S.memEvents, 32, async (i) => {
      const e = await hub.post(`/topic/${eventsTopic.id}/event`, JSON.parse(EVENT));
      if (i === 0) sample = e;
    });
    await sleep(500);
    const afterEvents = hub.rssBytes();
    const eventJsonBytes = Buffer.byteLength(JSON.stringify(sample));
    return {
      hubs: S.memHubs,
      events: S.memEvents,
      rssBaseMB: base / 2 ** 20,
      rssAfterHubsMB: afterHubs / 2 ** 20,
      rssAfterEventsMB: afterEvents / 2 ** 20,
      bytesPerHub: (afterHubs - base) / S.memHubs,
      bytesPerEvent: (afterEvents - afterHubs) / S.memEvents,
      eventJsonBytes,
    };
  } finally {
    await hub.stop();
  }
}

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

function table(res) {
  const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const pct = (n) => `${f(n * 100)}%`;
  const rows = [['scenario', 'store', 'result', 'vs raw limit']];
  rows.push(['raw: bare Node server (req/s)', '-', f(res.raw.serverPerSecond), '100%']);
  rows.push(['raw: bare undici client (POST/s)', '-', f(res.raw.clientPerSecond), '100%']);
  for (const [name, r] of Object.entries(res.stores)) {
    rows.push(['ingest, 0 hubs (events/s)', name, f(r.ingest.hubs0.perSecond), pct(r.ingest.hubs0.ratioToRawServer)]);
    rows.push(['ingest, 10 hubs (events/s)', name, f(r.ingest.hubs10.perSecond), pct(r.ingest.hubs10.ratioToRawServer)]);
    rows.push(['ingest, TMF622 schema, validation off (events/s)', name, f(r.ingestSchema.off.perSecond), pct(r.ingestSchema.off.ratioToRawServer)]);
    rows.push(['ingest, TMF622 schema, validation enforce (events/s)', name, f(r.ingestSchema.enforce.perSecond), `${pct(r.ingestSchema.enforce.ratioToRawServer)}; ${pct(r.ingestSchema.enforceVsOff)} of off`]);
    for (const [k, v] of Object.entries(r.fanout)) rows.push([`fan-out, ${v.hubs} hub${v.hubs > 1 ? 's' : ''} (deliveries/s)`, name, f(v.perSecond), pct(v.ratioToRawClient)]);
    rows.push(...kafkaRows(r, name, f, pct));
    const partial = (l) => (l.complete ? '' : ` (only ${l.deliveries}/${l.expected} arrived)`);
    rows.push(['latency 500 ev/s x 10 hubs, p50 / p99 (ms)', name, `${f(r.latency.p50ms, 1)} / ${f(r.latency.p99ms, 1)}${partial(r.latency)}`, '']);
    rows.push(['same, 1 failing + 1 hanging hub: healthy p50 / p99 (ms)', name, `${f(r.latencyFaulty.p50ms, 1)} / ${f(r.latencyFaulty.p99ms, 1)}${partial(r.latencyFaulty)}`, `p99 x${f(r.latencyFaulty.p99ms / r.latency.p99ms, 2)}`]);
    rows.push([`memory: RSS after ${r.memory.hubs} hubs + ${r.memory.events} events (MB)`, name, f(r.memory.rssAfterEventsMB), '']);
    rows.push(['memory: bytes per hub / per event (event JSON bytes)', name, `${f(r.memory.bytesPerHub)} / ${f(r.memory.bytesPerEvent)} (${r.memory.eventJsonBytes})`, '']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => `| ${row.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
