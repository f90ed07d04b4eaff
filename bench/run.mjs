// npm run bench [-- --quick]: ingest, fan-out, a poll source, end-to-end latency (healthy and with failing and
// hanging hubs) and memory, for the embedded store and, when MONGODB_URL is set, for MongoDB; and
// in the same run the raw limits of this machine (a bare Node server, a bare undici client), to
// which the hub's figures are compared. With HUB_KAFKA_BROKERS, HUB_NATS_URL, HUB_AMQP_URL or HUB_MQTT_URL, also fan-out to a hub on that broker (bench/brokers.mjs). Writes bench/results/latest.json (or latest-quick.json).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startIssuer } from './issuer.mjs';
import { startTokenEndpoint } from './token-endpoint.mjs';
import { BROKERS, brokerFanout, brokerRows, fanoutKey } from './brokers.mjs';
import { pollSource } from './poll.mjs';
import { costByBucket, costTableLines } from './cost-table.mjs';
import { BENCH_DIR, inParallel, nowMs, percentile, runLoad, sleep, startChild, startHub as startHubProcess, topFunctions, waitFor } from './lib.mjs';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
// --only a,b: just the scenarios whose names start with one of these (e.g. --only saturation,soak).
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const S = quick
  ? { loadMs: 2000, fanoutDeliveries: 2000, latencyMs: 2000, latencyWarmupMs: 2000, memHubs: 1000, memEvents: 10_000, soakMs: 60_000, soakPlateauFromMs: 20_000 }
  : { loadMs: 10_000, fanoutDeliveries: 20_000, latencyMs: 10_000, latencyWarmupMs: 5000, memHubs: 10_000, memEvents: 100_000, soakMs: 600_000, soakPlateauFromMs: 120_000 };
const SOAK_SAMPLE_MS = 10_000;
const SOAK_RSS_LIMIT_MB = 400;
const SATURATION_RSS_LIMIT_MB = 1024;
const PROFILE_DIR = join(BENCH_DIR, 'results', 'profiles');
/** The scenario being run, which names its CPU profile directory. */
let scenario = '';
/** Per scenario, the requests its measurement made: --profile divides the profile's buckets by it. */
const measuredRequests = {};
const CONNECTIONS = 32;
const LATENCY_WAIT_MS = 120_000;
// How long a latency row waits for its measured deliveries: a quick run (CI) reports a store that cannot
// keep up (complete: false) after 30 s rather than 120 (MongoDB-wire rows took 4 of CI's minutes waiting).
const LATENCY_MEASURED_WAIT_MS = quick ? 30_000 : LATENCY_WAIT_MS;
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

if (profile) rmSync(PROFILE_DIR, { recursive: true, force: true });
const receiver = await startChild('receiver.mjs', { HANG_MS: '5000' });
const profiles = [];
try {
  results.raw = await rawLimits();
  for (const store of stores) {
    const hubEnv = (extra = {}) => ({ ...store.env, HUB_DB_NAME: `bench_${randomUUID().slice(0, 8)}`, ...extra });
    const r = (results.stores[store.name] = {});
    const at = (name, run) => {
      if (only && !only.some((prefix) => name.startsWith(prefix))) return undefined;
      scenario = `${store.name}-${name}`;
      return run();
    };
    r.ingest = { hubs0: await at('ingest-0', () => ingest(hubEnv(), 0)), hubs10: await at('ingest-10', () => ingest(hubEnv(), 10)) };
    r.ingestAuth = { key: await at('ingest-key', () => ingestAuthenticated(hubEnv(), 'key')), jwt: await at('ingest-jwt', () => ingestAuthenticated(hubEnv(), 'jwt')) };
    for (const v of Object.values(r.ingestAuth).filter(Boolean)) if (r.ingest.hubs0) v.vsNoAuth = v.perSecond / r.ingest.hubs0.perSecond;
    r.ingestSchema = { off: await at('schema-off', () => ingestValidated(hubEnv(), 'off')), enforce: await at('schema-enforce', () => ingestValidated(hubEnv(), 'enforce')) };
    if (r.ingestSchema.enforce) r.ingestSchema.enforceVsOff = r.ingestSchema.enforce.perSecond / r.ingestSchema.off.perSecond;
    r.fanout = {};
    for (const hubs of [1, 100, 1000]) r.fanout[`hubs${hubs}`] = await at(`fanout-${hubs}`, () => fanout(hubEnv(), hubs));
    r.fanoutOAuth2 = await at('fanout-oauth2-100', () => fanoutOAuth2(hubEnv(), 100));
    if (r.fanoutOAuth2 && r.fanout.hubs100) r.fanoutOAuth2.vsNoAuth = r.fanoutOAuth2.perSecond / r.fanout.hubs100.perSecond;
    for (const broker of BROKERS) {
      r[fanoutKey(broker)] = await at(`fanout-${broker.key}`, () => brokerFanout(broker, hubEnv(), { deliveries: S.fanoutDeliveries, log, rawClientPerSecond: results.raw.clientPerSecond, startHub }));
    }
    r.poll = await at('poll', () => pollSource(hubEnv(), { startHub, log, rounds: quick ? 3 : 10 }));
    r.latency = await at('latency', () => latency(hubEnv({ HUB_DELIVERY_TIMEOUT: '1s' }), false));
    r.latencyFaulty = await at('latency-faulty', () => latency(hubEnv({ HUB_DELIVERY_TIMEOUT: '1s' }), true));
    r.memory = await at('memory', () => memory(hubEnv()));
    r.saturation = await at('saturation', () => saturation(hubEnv()));
    r.soak = await at('soak', () => soak(hubEnv()));
    // Several processes share one store only on MongoDB (the embedded store lives in one process).
    if (store.name === 'mongodb') {
      r.processes2 = {
        ingest10: await at('processes2-ingest-10', () => ingest(hubEnv({ HUB_PROCESSES: '2' }), 10)),
        fanout100: await at('processes2-fanout-100', () => fanout(hubEnv({ HUB_PROCESSES: '2' }), 100)),
      };
    }
  }
} finally {
  await receiver.stop();
}

mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
const file = join(BENCH_DIR, 'results', `latest${quick ? '-quick' : ''}${only ? '-only' : ''}.json`);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(table(results));
for (const p of profiles) {
  console.log(`\nCPU profile, ${p.scenario} (${p.file}): heaviest functions by self time, from the start of the measurement`);
  for (const f of p.top) console.log(`  ${String(f.selfMs).padStart(6)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  const requests = measuredRequests[p.scenario];
  if (!requests) continue;
  console.log(`\nCost per request, ${p.scenario} (${requests} requests; buckets: docs/performance.md)`);
  for (const line of costTableLines(p.buckets, requests)) console.log(line);
}
console.log(`\nwritten to ${file}`);

/** Starts the hub of the current scenario, with a CPU profile under --profile; `authorization` goes with the setup requests. */
async function startHub(env, authorization) {
  const hub = await startHubProcess(env, { ...(profile ? { profileDir: join(PROFILE_DIR, scenario) } : {}), authorization });
  if (!profile) return hub;
  const dir = join(PROFILE_DIR, scenario);
  const name = scenario;
  return {
    ...hub,
    stop: async () => {
      await hub.stop();
      // From the start of the measurement to the hub's exit: the summary leaves out the hub's start.
      const lastMs = hub.probe.resetAt() === undefined ? Infinity : Date.now() - hub.probe.resetAt();
      const files = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'));
      // A hub that relaunched itself with its heap limit: the parent only waits, its profile is left out.
      for (const f of files.length > 1 ? files.filter((n) => !n.includes(`.${hub.child.pid}.`)) : files) {
        const cpuProfile = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        const top = topFunctions(cpuProfile, 12, lastMs);
        profiles.push({ scenario: name, file: join(dir, f).replace(BENCH_DIR + '/', 'bench/'), top, buckets: costByBucket(cpuProfile, lastMs) });
      }
    },
  };
}

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

async function topicWithHubs(hub, hubs, callbackPath = () => '/ok', extra = {}) {
  const topic = await hub.post('/topic', { name: 'bench' });
  await inParallel(hubs, 16, (i) => hub.post(`/topic/${topic.id}/hub`, { callback: receiver.url(`${callbackPath(i)}/${i}`), ...extra }));
  return topic;
}

async function ingest(env, hubs) {
  log(`ingest with ${hubs} hubs${env.HUB_PROCESSES ? `, HUB_PROCESSES=${env.HUB_PROCESSES}` : ''}`);
  const hub = await startHub(env);
  try {
    const topic = await topicWithHubs(hub, hubs);
    hub.probe.reset();
    const res = await runLoad({ URL: hub.eventUrl(topic.id), BODY: EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs) });
    if (res.ok !== res.requests) throw new Error(`ingest: ${res.requests - res.ok} requests failed: ${JSON.stringify(res.statuses)}`);
    measuredRequests[scenario] = res.requests;
    return withCpu({ perSecond: res.perSecond, p50ms: res.p50, p99ms: res.p99, ratioToRawServer: res.perSecond / results.raw.serverPerSecond, hub: await hub.probe.read() }, res.ok);
  } finally {
    await hub.stop();
  }
}

/**
 * Ingest, 0 hubs, by a client with a credential: an API key of HUB_CLIENTS_FILE scoped to the topic,
 * or a JWT of a loopback issuer (HUB_OIDC_ISSUER) claimed by a clients-file entry with that scope.
 * The topic is made with a HUB_API_KEYS admin key; every publish authenticates (the key: one hash
 * and a lookup; the token: verified once, then remembered) and checks the scope.
 */
async function ingestAuthenticated(env, credential) {
  log(`ingest with 0 hubs, authenticated by ${credential === 'key' ? 'an API key' : 'a JWT'}`);
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-access-'));
  const admin = `admin-${randomUUID()}`;
  const key = `publisher-${randomUUID()}`;
  const issuer = credential === 'jwt' ? await startIssuer() : undefined;
  const publisher = { name: 'bench-publisher', roles: ['reader'], topics: ['bench'], ...(issuer ? { oidcClientId: 'bench-publisher' } : { keySha256: createHash('sha256').update(key).digest('hex'), roles: ['publisher'] }) };
  writeFileSync(join(dir, 'clients.json'), JSON.stringify({ clients: [publisher] }));
  const access = { HUB_CLIENTS_FILE: join(dir, 'clients.json'), HUB_API_KEYS: admin, ...(issuer ? { HUB_OIDC_ISSUER: issuer.issuer, HUB_OIDC_AUDIENCE: 'tmf688-hub' } : {}) };
  const hub = await startHub({ ...env, ...access }, `Bearer ${admin}`);
  try {
    const topic = await topicWithHubs(hub, 0);
    const bearer = issuer ? await issuer.token('tmf688-hub', 'bench-publisher', ['publisher']) : key;
    hub.probe.reset();
    const res = await runLoad({ URL: hub.eventUrl(topic.id), BODY: EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs), AUTHORIZATION: `Bearer ${bearer}` });
    if (res.ok !== res.requests) throw new Error(`ingest (${credential}): ${res.requests - res.ok} requests failed: ${JSON.stringify(res.statuses)}`);
    return withCpu({ perSecond: res.perSecond, p50ms: res.p50, p99ms: res.p99, ratioToRawServer: res.perSecond / results.raw.serverPerSecond, hub: await hub.probe.read() }, res.ok);
  } finally {
    await hub.stop();
    await issuer?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestValidated(env, schemaValidation) {
  log(`ingest, TMF622 schemas registered, schemaValidation ${schemaValidation}`);
  const hub = await startHub(env);
  try {
    const imported = await hub.post('/schema/import', TMF622);
    if (!imported.created?.some((c) => c.eventType === 'ProductOrderStateChangeEvent')) throw new Error(`import failed: ${JSON.stringify(imported)}`);
    const topic = await hub.post('/topic', { name: 'bench', schemaValidation });
    hub.probe.reset();
    const res = await runLoad({ URL: hub.eventUrl(topic.id), BODY: TMF_EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs) });
    if (res.ok !== res.requests) throw new Error(`ingest (${schemaValidation}): ${res.requests - res.ok} requests failed: ${JSON.stringify(res.statuses)}`);
    return withCpu({ perSecond: res.perSecond, p50ms: res.p50, p99ms: res.p99, ratioToRawServer: res.perSecond / results.raw.serverPerSecond, hub: await hub.probe.read() }, res.ok);
  } finally {
    await hub.stop();
  }
}

/** Fan-out to hubs whose listener requires an OAuth2 token (issue 25): cached tokens from a loopback endpoint, one grant per hub. */
async function fanoutOAuth2(env, hubs) {
  const endpoint = await startTokenEndpoint();
  try {
    const auth = { type: 'oauth2', tokenUrl: endpoint.url, clientId: 'bench', clientSecret: 'bench-secret' };
    const result = await fanout(env, hubs, { auth }, 'OAuth2 (cached tokens)');
    return { ...result, tokenRequests: endpoint.grants() };
  } finally {
    await endpoint.close();
  }
}

async function fanout(env, hubs, hubExtra = {}, label = '') {
  const events = Math.max(5, Math.ceil(S.fanoutDeliveries / hubs));
  const expected = events * hubs;
  log(`fan-out: ${events} events x ${hubs} hubs${label ? `, ${label}` : ''}${env.HUB_PROCESSES ? `, HUB_PROCESSES=${env.HUB_PROCESSES}` : ''}`);
  const hub = await startHub(env);
  try {
    const topic = await topicWithHubs(hub, hubs, undefined, hubExtra);
    await receiver.ask({ cmd: 'reset' });
    hub.probe.reset();
    const started = nowMs();
    await inParallel(events, 8, () => hub.post(`/topic/${topic.id}/event`, JSON.parse(EVENT)));
    const stats = await waitFor(async () => {
      const s = await receiver.ask({ cmd: 'stats' });
      return s.ok >= expected ? s : undefined;
    }, 300_000, `${expected} deliveries`);
    const seconds = (stats.lastAt - started) / 1000;
    return withCpu({ events, hubs, deliveries: stats.ok, perSecond: stats.ok / seconds, ratioToRawClient: stats.ok / seconds / results.raw.clientPerSecond, hub: await hub.probe.read() }, stats.ok);
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
    // Warm-up at the same rate, not measured: a cold process spends its first seconds compiling
    // (V8), and at 500 events/s that backlog dominated the percentiles (p99 up to 850 ms in the first
    // 3 s of a cold run, 4-50 ms per half-second after). Its healthy deliveries arrive before the count starts.
    const warm = await openLoop(hub, topic, rate, S.latencyWarmupMs, true);
    await waitFor(async () => ((await receiver.ask({ cmd: 'stats' })).ok >= warm.sent * healthy ? true : undefined), LATENCY_WAIT_MS, 'the warm-up deliveries');
    await receiver.ask({ cmd: 'reset' });
    hub.probe.reset();
    const { sent: total } = await openLoop(hub, topic, rate, S.latencyMs, true);
    const expected = total * healthy;
    // A store that cannot keep up is reported as such (complete: false), not as a crash of the run.
    const complete = await waitFor(async () => {
      const s = await receiver.ask({ cmd: 'stats' });
      return s.ok >= expected ? true : undefined;
    }, LATENCY_MEASURED_WAIT_MS, 'every healthy delivery').catch(() => false);
    const full = await receiver.ask({ cmd: 'stats', withLatencies: true });
    const sorted = full.latencies.sort((a, b) => a - b);
    if (!complete) log(`only ${full.ok} of ${expected} healthy deliveries arrived within ${LATENCY_MEASURED_WAIT_MS / 1000} s: percentiles cover those`);
    return {
      rate, warmupSeconds: S.latencyWarmupMs / 1000, events: total, healthyHubs: healthy, expected, deliveries: full.ok, complete,
      p50ms: percentile(sorted, 0.5), p99ms: percentile(sorted, 0.99), maxms: sorted.at(-1), hub: await hub.probe.read(),
    };
  } finally {
    await hub.stop();
  }
}

async function memory(env) {
  log(`memory: ${S.memHubs} hubs and ${S.memEvents} events`);
  const hub = await startHub(env);
  try {
    await sleep(1000);
    hub.probe.reset();
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
      hub: await hub.probe.read(),
    };
  } finally {
    await hub.stop();
  }
}

/**
 * Publishes `rate` events a second for `durationMs`, open loop (events go out on schedule whether or
 * not earlier ones are answered). `strict`: any answer but 201 fails the run; otherwise 503s are
 * counted (the hub pushing back). `tick` runs about every millisecond. `maxInflight`: events due
 * while that many publishes are unanswered are skipped and counted (a hub far slower than the rate,
 * as the MongoDB test server is, would otherwise keep the run going long after its end).
 */
async function openLoop(hub, topic, rate, durationMs, strict, tick = () => {}, maxInflight = Infinity) {
  const total = Math.round((rate * durationMs) / 1000);
  const started = performance.now();
  let sent = 0;
  let accepted = 0;
  let refused = 0;
  let skipped = 0;
  const statuses = {};
  const inflight = new Set();
  while (sent < total) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < Math.min(due, total); sent++) {
      if (inflight.size >= maxInflight) {
        skipped++;
        continue;
      }
      const p = hub.publish(topic.id, { eventType: 'Bench', bench: { sentAt: nowMs() } }).then((status) => {
        inflight.delete(p);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) accepted++;
        else if (status === 503 && !strict) refused++;
        else throw new Error(`publish answered ${status}`);
      });
      inflight.add(p);
    }
    tick();
    await sleep(1);
  }
  await Promise.all(inflight);
  return { sent, accepted, refused, skipped, statuses };
}

/**
 * Full-speed ingest with 10 hubs: how many deliveries arrive while the load lasts, against how fast
 * the backlog drains once it stops (target: during >= 70% of drain), the peak RSS, and how many
 * publishes the hub refused with 503 (HUB_MAX_PENDING).
 */
async function saturation(env) {
  const hubs = 10;
  log(`saturation: full-speed ingest with ${hubs} hubs for ${S.loadMs / 1000} s, then the drain`);
  const hub = await startHub(env);
  try {
    const topic = await topicWithHubs(hub, hubs);
    await receiver.ask({ cmd: 'reset' });
    hub.probe.reset();
    let peakRss = hub.rssBytes();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, hub.rssBytes())), 200);
    try {
      const loadStart = nowMs();
      const res = await runLoad({ URL: hub.eventUrl(topic.id), BODY: EVENT, CONNECTIONS: String(CONNECTIONS), DURATION_MS: String(S.loadMs) });
      const loadEnd = nowMs();
      const atEnd = (await receiver.ask({ cmd: 'stats' })).ok;
      const refused = res.statuses['503'] ?? 0;
      if (res.ok + refused !== res.requests) throw new Error(`saturation: unexpected answers ${JSON.stringify(res.statuses)}`);
      const expected = res.ok * hubs;
      const duringLoad = (await hub.probe.read()) ?? undefined;
      const stats = await waitFor(async () => {
        const s = await receiver.ask({ cmd: 'stats' });
        return s.ok >= expected ? s : undefined;
      }, 600_000, `${expected} deliveries after the load`);
      const during = atEnd / ((loadEnd - loadStart) / 1000);
      const backlog = expected - atEnd;
      // Less than a second's worth left at the end: the delivery kept pace, there is no drain to time.
      const drain = backlog >= during ? backlog / ((stats.lastAt - loadEnd) / 1000) : undefined;
      return {
        hubs,
        published: res.ok,
        refused503: refused,
        publishPerSecond: res.perSecond,
        deliveriesDuringLoadPerSecond: during,
        backlogAtEnd: backlog,
        drainPerSecond: drain,
        duringVsDrain: drain === undefined ? 1 : during / drain,
        drainSeconds: (stats.lastAt - loadEnd) / 1000,
        peakRssMB: peakRss / 2 ** 20,
        peakRssUnderLimit: peakRss / 2 ** 20 < SATURATION_RSS_LIMIT_MB,
        hub: duringLoad,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await hub.stop();
  }
}

/**
 * 500 events/s x 10 hubs for S.soakMs, RSS every 10 s. It plateaus when the RSS at the end is within
 * 20% of the RSS at S.soakPlateauFromMs, and stays under 400 MB.
 */
async function soak(env) {
  const rate = 500;
  const hubs = 10;
  log(`soak: ${rate} events/s x ${hubs} hubs for ${S.soakMs / 1000} s, RSS every ${SOAK_SAMPLE_MS / 1000} s`);
  const hub = await startHub(env);
  try {
    const topic = await topicWithHubs(hub, hubs);
    await receiver.ask({ cmd: 'reset' });
    hub.probe.reset();
    const started = performance.now();
    const samples = [];
    let nextSample = 0;
    const sample = async () => {
      const s = await receiver.ask({ cmd: 'stats' });
      samples.push({ atS: Math.round((performance.now() - started) / 1000), rssMB: hub.rssBytes() / 2 ** 20, delivered: s.ok });
    };
    const load = await openLoop(hub, topic, rate, S.soakMs, false, () => {
      if (performance.now() - started >= nextSample) {
        nextSample += SOAK_SAMPLE_MS;
        void sample();
      }
    }, rate);
    await sample();
    const hubStats = await hub.probe.read();
    const rssAt = (ms) => samples.reduce((best, s) => (Math.abs(s.atS * 1000 - ms) < Math.abs(best.atS * 1000 - ms) ? s : best)).rssMB;
    const from = rssAt(S.soakPlateauFromMs);
    const end = samples.at(-1).rssMB;
    const delivered = samples.at(-1).delivered;
    return {
      rate, hubs, seconds: S.soakMs / 1000, accepted: load.accepted, refused503: load.refused, skippedHubTooSlow: load.skipped,
      delivered, expected: load.accepted * hubs,
      samples, rssFromMB: from, rssFromAtS: S.soakPlateauFromMs / 1000, rssEndMB: end, growth: end / from - 1,
      plateau: end <= from * 1.2 && end < SOAK_RSS_LIMIT_MB,
      hub: hubStats,
    };
  } finally {
    await hub.stop();
  }
}

/**
 * A scenario's result with the hub's CPU time per unit of work (an event accepted, a delivery made):
 * what the work costs, which a busy machine changes much less than the rates above.
 */
function withCpu(result, units) {
  return result.hub?.cpuMs === undefined || !units ? result : { ...result, cpuUsPerUnit: (result.hub.cpuMs * 1000) / units };
}

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

function table(res) {
  const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const pct = (n) => `${f(n * 100)}%`;
  const rows = [['scenario', 'store', 'result', 'vs raw limit', 'hub CPU per unit (us)', 'hub loop delay p50 / p99 (ms), GC']];
  const cpu = (r) => (r?.cpuUsPerUnit === undefined ? '' : f(r.cpuUsPerUnit));
  const cols = (r) => [cpu(r), hubCol(r?.hub)];
  const hubCol = (h) => (h ? `${f(h.loopDelayP50ms, 1)} / ${f(h.loopDelayP99ms, 1)}, GC ${f(h.gcMs)} ms (${pct(h.gcShare)})` : '');
  rows.push(['raw: bare Node server (req/s)', '-', f(res.raw.serverPerSecond), '100%', '', '']);
  rows.push(['raw: bare undici client (POST/s)', '-', f(res.raw.clientPerSecond), '100%', '', '']);
  for (const [name, r] of Object.entries(res.stores)) {
    if (r.ingest.hubs0) rows.push(['ingest, 0 hubs (events/s)', name, f(r.ingest.hubs0.perSecond), pct(r.ingest.hubs0.ratioToRawServer), ...cols(r.ingest.hubs0)]);
    const vsNoAuth = (v) => (v.vsNoAuth === undefined ? '' : `; ${pct(v.vsNoAuth)} of no auth`);
    if (r.ingestAuth?.key) rows.push(['ingest, 0 hubs, API key (events/s)', name, f(r.ingestAuth.key.perSecond), `${pct(r.ingestAuth.key.ratioToRawServer)}${vsNoAuth(r.ingestAuth.key)}`, ...cols(r.ingestAuth.key)]);
    if (r.ingestAuth?.jwt) rows.push(['ingest, 0 hubs, JWT (events/s)', name, f(r.ingestAuth.jwt.perSecond), `${pct(r.ingestAuth.jwt.ratioToRawServer)}${vsNoAuth(r.ingestAuth.jwt)}`, ...cols(r.ingestAuth.jwt)]);
    if (r.ingest.hubs10) rows.push(['ingest, 10 hubs (events/s)', name, f(r.ingest.hubs10.perSecond), pct(r.ingest.hubs10.ratioToRawServer), ...cols(r.ingest.hubs10)]);
    if (r.ingestSchema.off) rows.push(['ingest, TMF622 schema, validation off (events/s)', name, f(r.ingestSchema.off.perSecond), pct(r.ingestSchema.off.ratioToRawServer), ...cols(r.ingestSchema.off)]);
    if (r.ingestSchema.enforce) rows.push(['ingest, TMF622 schema, validation enforce (events/s)', name, f(r.ingestSchema.enforce.perSecond), `${pct(r.ingestSchema.enforce.ratioToRawServer)}; ${pct(r.ingestSchema.enforceVsOff)} of off`, ...cols(r.ingestSchema.enforce)]);
    for (const v of Object.values(r.fanout).filter(Boolean)) rows.push([`fan-out, ${v.hubs} hub${v.hubs > 1 ? 's' : ''} (deliveries/s)`, name, f(v.perSecond), pct(v.ratioToRawClient), ...cols(v)]);
    const o = r.fanoutOAuth2;
    if (o) rows.push([`fan-out, ${o.hubs} hubs, OAuth2 cached tokens (deliveries/s; ${o.tokenRequests} token requests)`, name, f(o.perSecond), `${pct(o.ratioToRawClient)}${o.vsNoAuth === undefined ? '' : `; ${pct(o.vsNoAuth)} of no auth`}`, ...cols(o)]);
    rows.push(...brokerRows(r, name, f, pct, cols));
    if (r.poll) rows.push([`poll source, ${r.poll.resources} resources, ${r.poll.changedPerPoll} changed per poll (events per hub CPU-second; CPU per poll)`, name, f(r.poll.eventsPerCpuSecond), `${f(r.poll.cpuMsPerPoll)} ms per poll`, ...cols(r.poll)]);
    const partial = (l) => (l.complete ? '' : ` (only ${l.deliveries}/${l.expected} arrived)`);
    if (r.latency) rows.push(['latency 500 ev/s x 10 hubs, after a warm-up: p50 / p99 (ms)', name, `${f(r.latency.p50ms, 1)} / ${f(r.latency.p99ms, 1)}${partial(r.latency)}`, '', ...cols(r.latency)]);
    if (r.latencyFaulty) rows.push(['same, 1 failing + 1 hanging hub: healthy p50 / p99 (ms)', name, `${f(r.latencyFaulty.p50ms, 1)} / ${f(r.latencyFaulty.p99ms, 1)}${partial(r.latencyFaulty)}`, r.latency ? `p99 x${f(r.latencyFaulty.p99ms / r.latency.p99ms, 2)}` : '', ...cols(r.latencyFaulty)]);
    if (r.memory) rows.push([`memory: RSS after ${r.memory.hubs} hubs + ${r.memory.events} events (MB)`, name, f(r.memory.rssAfterEventsMB), '', ...cols(r.memory)]);
    if (r.memory) rows.push(['memory: bytes per hub / per event (event JSON bytes)', name, `${f(r.memory.bytesPerHub)} / ${f(r.memory.bytesPerEvent)} (${r.memory.eventJsonBytes})`, '', '', '']);
    const sat = r.saturation;
    if (sat) rows.push([
      'saturation, 10 hubs: deliveries/s during load / drain (target >= 70%)', name,
      `${f(sat.deliveriesDuringLoadPerSecond)} / ${sat.drainPerSecond === undefined ? 'kept pace' : f(sat.drainPerSecond)}`,
      pct(sat.duringVsDrain), ...cols(sat),
    ]);
    if (sat) rows.push(['saturation: published/s, 503s, peak RSS MB (target < 1024)', name, `${f(sat.publishPerSecond)}, ${sat.refused503}, ${f(sat.peakRssMB)}`, sat.peakRssUnderLimit ? 'under' : 'OVER', '', '']);
    const soakRow = r.soak;
    if (soakRow) rows.push([
      `soak ${soakRow.rate} ev/s x ${soakRow.hubs} hubs, ${soakRow.seconds} s: RSS MB at ${soakRow.rssFromAtS} s / end`, name,
      `${f(soakRow.rssFromMB)} / ${f(soakRow.rssEndMB)} (${soakRow.refused503} 503s, ${soakRow.skippedHubTooSlow} not sent: hub too slow, ${soakRow.delivered}/${soakRow.expected} delivered)`,
      `${soakRow.growth >= 0 ? '+' : ''}${pct(soakRow.growth)}: ${soakRow.plateau ? 'plateau' : 'NO plateau'}`, ...cols(soakRow),
    ]);
    if (r.processes2) {
      const p2 = r.processes2;
      if (p2.ingest10) rows.push(['HUB_PROCESSES=2: ingest, 10 hubs (events/s)', name, f(p2.ingest10.perSecond), pct(p2.ingest10.ratioToRawServer), ...cols(p2.ingest10)]);
      if (p2.fanout100) rows.push(['HUB_PROCESSES=2: fan-out, 100 hubs (deliveries/s)', name, f(p2.fanout100.perSecond), pct(p2.fanout100.ratioToRawClient), ...cols(p2.fanout100)]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => `| ${row.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
