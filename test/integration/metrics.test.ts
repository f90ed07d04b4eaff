import supertest from 'supertest';
import { createLogger } from '../../src/logger';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  status: number;
  contentType: string;
  text: string;
  samples: Sample[];
  /** `# TYPE name kind` lines. */
  types: Map<string, string>;
}

const unescapeLabel = (value: string) => value.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));

/** Go's ParseFloat, which Prometheus reads values with, takes NaN and Inf in any case (prom-client writes Nan). */
const parseValue = (raw: string): number => {
  if (/^\+?inf$/i.test(raw)) return Infinity;
  if (/^-inf$/i.test(raw)) return -Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  const value = Number(raw);
  if (Number.isNaN(value)) throw new Error(`Not a sample value: ${raw}`);
  return value;
};

/** The Prometheus text format (0.0.4): `name{label="value",...} value [timestamp]` lines and `# TYPE` comments. */
function parsePrometheus(text: string): Pick<Scrape, 'samples' | 'types'> {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    if (!m) throw new Error(`Not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = unescapeLabel(value);
    samples.push({ name: m[1], labels, value: parseValue(m[3]) });
  }
  return { samples, types };
}

/** The value of the sample with exactly these labels; undefined when there is none. */
function valueOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  const found = scrape.samples.filter(
    (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} with labels ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

const samplesNamed = (scrape: Scrape, name: string) => scrape.samples.filter((s) => s.name === name);

async function scrape(hub: TestApp): Promise<Scrape> {
  const res = await supertest(hub.app.callback()).get('/metrics');
  return { status: res.status, contentType: String(res.headers['content-type']), text: res.text, ...parsePrometheus(res.text) };
}

const DELIVERIES = 'tmf688_deliveries_total';
const DURATION = 'tmf688_delivery_attempt_duration_seconds';
const PENDING = 'tmf688_deliveries_pending';
const OLDEST = 'tmf688_delivery_oldest_pending_age_seconds';
const PUBLISHED = 'tmf688_events_published_total';
const OUTCOMES = ['delivered', 'retry', 'dead', 'gone'] as const;

describe('GET /metrics', () => {
  const apps: TestApp[] = [];
  let receiver: TestReceiver | undefined;

  async function build(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
    const app = await buildTestApp(options);
    apps.push(app);
    return app;
  }

  async function topic(hub: TestApp): Promise<string> {
    const res = await hub.client.post(`${API}/topic`, { name: 'metered' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function subscribe(hub: TestApp, topicId: string, callback: string): Promise<string> {
    const res = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function publish(hub: TestApp, topicId: string, body: Record<string, unknown> = { eventType: 'X' }) {
    const res = await hub.client.post(`${API}/topic/${topicId}/event`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Scrapes until `ready` holds, bounded. */
  const scrapeUntil = (hub: TestApp, ready: (s: Scrape) => boolean, what: string, timeoutMs = 5000) =>
    pollUntil(async () => {
      const s = await scrape(hub);
      return ready(s) ? s : undefined;
    }, timeoutMs, what, 25);

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await receiver?.close();
    receiver = undefined;
  });

  it('should answer the Prometheus text format with process metrics and the hub metrics declared with their types', async () => {
    const hub = await build();
    const s = await scrape(hub);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/i);

    // Default process metrics, with plausible values.
    expect(s.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(valueOf(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(s.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(valueOf(s, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(1024 * 1024);
    const start = valueOf(s, 'process_start_time_seconds')!;
    expect(start).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect(start).toBeGreaterThan(Date.now() / 1000 - 24 * 3600);
    expect(samplesNamed(s, 'nodejs_version_info')[0]?.labels.version).toBe(process.version);

    expect(s.types.get(PUBLISHED)).toBe('counter');
    expect(s.types.get(DELIVERIES)).toBe('counter');
    expect(s.types.get(DURATION)).toBe('histogram');
    expect(s.types.get(PENDING)).toBe('gauge');
    expect(s.types.get(OLDEST)).toBe('gauge');
    // A fresh hub: every outcome is there at 0, so rates work from the first scrape.
    expect(valueOf(s, PUBLISHED)).toBe(0);
    for (const outcome of OUTCOMES) expect([outcome, valueOf(s, DELIVERIES, { outcome })]).toEqual([outcome, 0]);
    expect(samplesNamed(s, DELIVERIES)).toHaveLength(OUTCOMES.length);
  });

  it('tmf688_events_published_total should grow by exactly the number of events published, not by refused ones', async () => {
    const hub = await build();
    const t = await topic(hub);
    const before = valueOf(await scrape(hub), PUBLISHED);
    expect(before).toBe(0);
    await publish(hub, t, { eventId: 'e-1', eventType: 'X' });
    await publish(hub, t, { eventId: 'e-2', eventType: 'X' });
    await publish(hub, t, { eventId: 'e-3', eventType: 'Y' });
    // A duplicate eventId, an unknown topic and an invalid body publish nothing.
    expect((await hub.client.post(`${API}/topic/${t}/event`, { eventId: 'e-1' })).status).toBe(409);
    expect((await hub.client.post(`${API}/topic/no-such-topic/event`, { eventId: 'e-9' })).status).toBe(404);
    expect((await hub.client.post(`${API}/topic/${t}/event`, { eventTime: 'not a time' })).status).toBe(400);
    expect(valueOf(await scrape(hub), PUBLISHED)).toBe(3);
    // Counters do not move on a scrape alone.
    expect(valueOf(await scrape(hub), PUBLISHED)).toBe(3);
  });

  it('should count delivered attempts, with their durations, when the listener answers 201', async () => {
    receiver = await TestReceiver.start(() => ({ status: 201, delayMs: 25 }));
    const hub = await build({ worker: {} });
    const t = await topic(hub);
    await subscribe(hub, t, receiver.url('/ok'));
    for (let i = 0; i < 3; i++) await publish(hub, t);

    const s = await scrapeUntil(hub, (x) => valueOf(x, DELIVERIES, { outcome: 'delivered' }) === 3, '3 delivered attempts');
    expect(receiver.requestsTo('/ok')).toHaveLength(3);
    expect(valueOf(s, DELIVERIES, { outcome: 'retry' })).toBe(0);
    expect(valueOf(s, DELIVERIES, { outcome: 'dead' })).toBe(0);
    expect(valueOf(s, DELIVERIES, { outcome: 'gone' })).toBe(0);

    expect(valueOf(s, `${DURATION}_count`, { outcome: 'delivered' })).toBe(3);
    // Each attempt waited at least the listener's 25 ms.
    const sum = valueOf(s, `${DURATION}_sum`, { outcome: 'delivered' })!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeGreaterThanOrEqual(3 * 0.02);
    expect(sum).toBeLessThan(3 * 1.5);
    const buckets = samplesNamed(s, `${DURATION}_bucket`).filter((b) => b.labels.outcome === 'delivered');
    expect(buckets.length).toBeGreaterThan(2);
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(valueOf(s, `${DURATION}_bucket`, { outcome: 'delivered', le: '+Inf' })).toBe(3);
    expect(valueOf(s, `${DURATION}_bucket`, { outcome: 'delivered', le: '0.01' })).toBe(0);
    // No other outcome has observations.
    expect(valueOf(s, `${DURATION}_count`, { outcome: 'retry' }) ?? 0).toBe(0);

    // Everything delivered: nothing pending.
    const settled = await scrapeUntil(hub, (x) => valueOf(x, PENDING) === 0, 'no pending deliveries');
    expect(valueOf(settled, OLDEST)).toBe(0);
  });

  it('should count 2 retries and 1 dead for a listener answering 500 with a schedule of 3 attempts', async () => {
    receiver = await TestReceiver.start(() => ({ status: 500, body: 'broken' }));
    const hub = await build({ worker: { retrySchedule: [50, 50] } });
    const t = await topic(hub);
    await subscribe(hub, t, receiver.url('/broken'));
    await publish(hub, t);

    const s = await scrapeUntil(hub, (x) => valueOf(x, DELIVERIES, { outcome: 'dead' }) === 1, 'the delivery to die');
    expect(receiver.requestsTo('/broken')).toHaveLength(3);
    expect(valueOf(s, DELIVERIES, { outcome: 'retry' })).toBe(2);
    expect(valueOf(s, DELIVERIES, { outcome: 'delivered' })).toBe(0);
    expect(valueOf(s, DELIVERIES, { outcome: 'gone' })).toBe(0);
    expect(valueOf(s, `${DURATION}_count`, { outcome: 'retry' })).toBe(2);
    expect(valueOf(s, `${DURATION}_count`, { outcome: 'dead' })).toBe(1);
    // A dead delivery is not pending.
    expect(valueOf(s, PENDING)).toBe(0);
    expect(valueOf(s, OLDEST)).toBe(0);
  });

  it('should count gone for a listener answering 410', async () => {
    receiver = await TestReceiver.start(() => ({ status: 410 }));
    const hub = await build({ worker: {} });
    const t = await topic(hub);
    const h = await subscribe(hub, t, receiver.url('/gone'));
    await publish(hub, t);

    const s = await scrapeUntil(hub, (x) => valueOf(x, DELIVERIES, { outcome: 'gone' }) === 1, 'a gone attempt');
    expect(receiver.requestsTo('/gone')).toHaveLength(1);
    expect(valueOf(s, DELIVERIES, { outcome: 'delivered' })).toBe(0);
    expect(valueOf(s, DELIVERIES, { outcome: 'retry' })).toBe(0);
    expect(valueOf(s, DELIVERIES, { outcome: 'dead' })).toBe(0);
    expect(valueOf(s, `${DURATION}_count`, { outcome: 'gone' })).toBe(1);
    await pollUntil(async () => ((await hub.client.get(`${API}/topic/${t}/hub/${h}`)).status === 404 ? true : undefined), 5000, 'the hub to be removed');
  });

  it('with no worker, should report pending deliveries and an oldest age that grows', async () => {
    const hub = await build();
    const t = await topic(hub);
    await subscribe(hub, t, 'http://127.0.0.1:9/never-called');

    const empty = await scrape(hub);
    expect(valueOf(empty, PENDING)).toBe(0);
    expect(valueOf(empty, OLDEST)).toBe(0);

    await publish(hub, t);
    await publish(hub, t);
    const first = await scrape(hub);
    expect(valueOf(first, PENDING)).toBe(2);
    const age = valueOf(first, OLDEST)!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);

    const later = await scrapeUntil(hub, (x) => valueOf(x, OLDEST)! > Math.max(age, 0), 'the oldest pending age to grow');
    expect(valueOf(later, PENDING)).toBe(2);
    const grown = valueOf(later, OLDEST)!;
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(60);
    // Nothing was attempted.
    for (const outcome of OUTCOMES) expect(valueOf(later, DELIVERIES, { outcome })).toBe(0);
  });

  it('should still answer 200 with counters and process metrics, leaving the pending gauges out, when the store cannot say', async () => {
    const lines: string[] = [];
    const hub = await build({ logger: createLogger('warn', (line) => lines.push(line)) });
    const t = await topic(hub);
    await subscribe(hub, t, 'http://127.0.0.1:9/never-called');
    await publish(hub, t);

    // While the store answers, the gauges have values...
    const healthy = await scrape(hub);
    expect(valueOf(healthy, PENDING)).toBe(1);

    // ...and once it fails they are left out rather than reporting 0 or the last value.
    hub.stores.deliveries.pendingStats = () => Promise.reject(new Error('store down'));
    const s = await scrape(hub);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(valueOf(s, PUBLISHED)).toBe(1);
    for (const outcome of OUTCOMES) expect(valueOf(s, DELIVERIES, { outcome })).toBe(0);
    expect(valueOf(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(s, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(samplesNamed(s, PENDING)).toEqual([]);
    expect(samplesNamed(s, OLDEST)).toEqual([]);

    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn' && /pending/.test(l.msg));
    expect(warned.length).toBeGreaterThanOrEqual(1);
  });

  it('should leave the pending gauges out when the store fails from the very first scrape', async () => {
    const hub = await build({ logger: createLogger('silent') });
    hub.stores.deliveries.pendingStats = () => Promise.reject(new Error('store down'));
    const s = await scrape(hub);
    expect(s.status).toBe(200);
    expect(valueOf(s, PUBLISHED)).toBe(0);
    expect(valueOf(s, DELIVERIES, { outcome: 'delivered' })).toBe(0);
    expect(samplesNamed(s, PENDING)).toEqual([]);
    expect(samplesNamed(s, OLDEST)).toEqual([]);
    // Once the store answers again, so do the gauges.
    delete (hub.stores.deliveries as Partial<typeof hub.stores.deliveries>).pendingStats;
    const back = await scrape(hub);
    expect(valueOf(back, PENDING)).toBe(0);
    expect(valueOf(back, OLDEST)).toBe(0);
  });
});
