import { Webhook } from 'standardwebhooks';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import type { DeliveryHub, SubscriberDirectory, Subscription } from '../../src/delivery/subscriber-directory';
import { httpTransport } from '../../src/delivery/http-transport';
import { recordTransport, type OutgoingRecord, type RecordResult } from '../../src/delivery/record-transport';
import { TransportRegistry } from '../../src/delivery/transport-registry';
import type { WebhookRequest, WebhookResult } from '../../src/delivery/webhook-client';
import { kafkaRecordHeaders } from '../../src/kafka/record-headers';
import { createLogger } from '../../src/logger';
import type { Delivery } from '../../src/store/delivery-types';
import { MemoryDeliveryStore } from '../../src/store/memory/memory-delivery-store';
import { pollUntil } from '../helpers/poll';

/** A producer of records, as a broker bridge hands it over. */
type Producer = { send(record: OutgoingRecord): Promise<RecordResult> };

/** The registry the composition root builds: HTTP through `client`, and Kafka through `records` when configured. */
function transports(client: { post(req: WebhookRequest): Promise<WebhookResult> }, records?: Producer): TransportRegistry {
  const http = httpTransport(client, { creationRefusal: async () => undefined });
  const kafka = records && recordTransport({ scheme: 'kafka', destinationRefusal: () => undefined, recordHeaders: kafkaRecordHeaders, send: (r) => records.send(r) });
  return new TransportRegistry(http, kafka ? [kafka] : []);
}

const SECRET = `whsec_${Buffer.from('worker-test-secret-0123456789').toString('base64')}`;

function delivery(id: string, hubId: string): Delivery {
  return {
    id,
    hubKind: 'topic',
    hubId,
    topicId: 't1',
    eventId: `e-${id}`,
    eventResourceId: `r-${id}`,
    url: `http://listener.test/${hubId}`,
    payload: JSON.stringify({ id }),
    status: 'pending',
    failures: 0,
    attempts: [],
    nextAttemptAt: Date.now() - 1,
    createdAt: new Date().toISOString(),
  };
}

/** A directory whose answers the test sets per hub, counting reads. */
class FakeDirectory implements SubscriberDirectory {
  reads = 0;
  readonly unregistered: string[] = [];
  constructor(private readonly secrets: (hub: DeliveryHub) => Promise<readonly string[] | undefined>, private readonly rateLimit?: Subscription['rateLimit']) {}
  async subscription(hub: DeliveryHub): Promise<Subscription | undefined> {
    this.reads++;
    const secrets = await this.secrets(hub);
    return secrets && { secrets, ...(this.rateLimit ? { rateLimit: this.rateLimit } : {}) };
  }
  async unregister(hub: DeliveryHub) {
    this.unregistered.push(hub.hubId);
  }
}

describe('DeliveryWorker', () => {
  let store: MemoryDeliveryStore;
  let worker: DeliveryWorker | undefined;
  const sent: WebhookRequest[] = [];
  const client = { post: async (req: WebhookRequest): Promise<WebhookResult> => (sent.push(req), { status: 204, durationMs: 1 }) };

  function start(subscribers: SubscriberDirectory, records?: Producer): DeliveryWorker {
    worker = new DeliveryWorker(
      { retrySchedule: [60_000], timeoutMs: 1000, retryAfterCapMs: 1000, concurrency: 16, perHubConcurrency: 16, pollMs: 20 },
      { store, transports: transports(client, records), subscribers, logger: createLogger('silent') },
    );
    worker.start();
    return worker;
  }

  const finished = (hubId: string, id: string) =>
    pollUntil(async () => {
      const d = await store.get(hubId, id);
      return d && d.status !== 'pending' ? d : d?.attempts.length ? d : undefined;
    }, 3000, `an attempt of ${id}`, 10);

  beforeEach(() => {
    store = new MemoryDeliveryStore();
    sent.length = 0;
  });
  afterEach(async () => {
    await worker?.stop(1000);
    worker = undefined;
  });

  describe('kafka: deliveries', () => {
    const kafka = (id: string, orderingKey?: string): Delivery => ({
      ...delivery(id, 'hub-k'),
      url: 'kafka:orders.out',
      cloudEvent: { mode: 'binary', source: 'http://hub/topic/t1', type: 'OrderCreateEvent' },
      ...(orderingKey ? { orderingKey, sequence: 1 } : {}),
    });
    const transport = (answer: (record: OutgoingRecord) => RecordResult) => {
      const produced: OutgoingRecord[] = [];
      return { produced, send: async (record: OutgoingRecord) => (produced.push(record), answer(record)) };
    };

    it('should produce through the record transport, never the HTTP client: keyed, signed, with ce_ headers', async () => {
      const records = transport(() => ({ response: 'acknowledged', durationMs: 2 }));
      await store.insertMany([kafka('k1'), kafka('k2', 'PO-7')]);
      start(new FakeDirectory(async () => [SECRET]), records);
      for (const id of ['k1', 'k2']) expect((await finished('hub-k', id)).status).toBe('delivered');
      expect(sent).toEqual([]);
      const byKey = new Map(records.produced.map((r) => [r.key, r]));
      expect([...byKey.keys()].sort()).toEqual(['PO-7', 'e-k1']);
      const first = byKey.get('e-k1')!;
      expect(first).toMatchObject({ topic: 'orders.out', value: JSON.stringify({ id: 'k1' }), timeoutMs: 1000 });
      expect(first.headers).toMatchObject({ 'webhook-id': 'k1', ce_id: 'k1', ce_type: 'OrderCreateEvent', ce_source: 'http://hub/topic/t1', ce_specversion: '1.0' });
      expect(first.headers['user-agent']).toBeUndefined();
      const verified = new Webhook(SECRET).verify(first.value, first.headers) as { id: string };
      expect(verified.id).toBe('k1');
      expect((await store.get('hub-k', 'k1'))!.attempts[0]).toMatchObject({ outcome: 'delivered', response: 'acknowledged' });
    });

    it.each<[string, Producer | undefined, RegExp]>([
      ['a broker error', transport(() => ({ error: 'Kafka: connection refused', durationMs: 3 })), /^Kafka: connection refused$/],
      ['no Kafka configured', undefined, /Kafka is not configured \(HUB_KAFKA_BROKERS\)/],
    ])('should record %s as a failed attempt, retried on the schedule', async (_case, records, error) => {
      await store.insertMany([kafka('k3')]);
      start(new FakeDirectory(async () => []), records);
      const attempted = await finished('hub-k', 'k3');
      expect(attempted.status).toBe('pending');
      expect(attempted.failures).toBe(1);
      expect(attempted.attempts[0].error).toMatch(error);
      expect(attempted.nextAttemptAt).toBeGreaterThan(Date.now() + 30_000);
    });
  });

  it('should sign with the secret the directory gives at attempt time, reading each hub once per claimed batch', async () => {
    const directory = new FakeDirectory(async () => [SECRET]);
    await store.insertMany([delivery('a1', 'hub-a'), delivery('a2', 'hub-a'), delivery('a3', 'hub-a')]);
    start(directory);
    for (const id of ['a1', 'a2', 'a3']) expect((await finished('hub-a', id)).status).toBe('delivered');
    expect(directory.reads).toBe(1);
    const headers = sent.map((r) => r.headers);
    expect(headers.every((h) => h['webhook-signature']?.startsWith('v1,'))).toBe(true);
    expect(() => new Webhook(SECRET).verify(sent[0].body, sent[0].headers)).not.toThrow();
  });

  it('should send unsigned for a hub without a secret', async () => {
    await store.insertMany([delivery('u1', 'hub-u')]);
    start(new FakeDirectory(async () => []));
    expect((await finished('hub-u', 'u1')).status).toBe('delivered');
    expect(sent[0].headers['webhook-signature']).toBeUndefined();
  });

  it('should end a delivery whose hub no longer exists as dead, sending nothing', async () => {
    await store.insertMany([delivery('g1', 'hub-gone')]);
    start(new FakeDirectory(async () => undefined));
    const d = await finished('hub-gone', 'g1');
    expect(d.status).toBe('dead');
    expect(d.attempts).toEqual([expect.objectContaining({ number: 1, outcome: 'failed', error: 'the hub no longer exists' })]);
    expect(sent).toEqual([]);
  });

  it('should count an attempt as failed, to be retried, when the hub cannot be read, sending nothing', async () => {
    await store.insertMany([delivery('f1', 'hub-f')]);
    start(new FakeDirectory(async () => Promise.reject(new Error('store down'))));
    const d = await finished('hub-f', 'f1');
    expect(d.status).toBe('pending');
    expect(d.failures).toBe(1);
    expect(d.attempts[0]).toMatchObject({ outcome: 'failed', error: 'the hub could not be read (store unavailable)' });
    expect(sent).toEqual([]);
  });

  it('should give deliveries over a hub\'s rate back unattempted, due when a token will be there', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `r${i}`);
    await store.insertMany(ids.map((id) => delivery(id, 'hub-r')));
    const started = Date.now();
    start(new FakeDirectory(async () => [], { perSecond: 2 }));
    // Two at once (a second's worth), then one per 500 ms: the sixth no sooner than 2 s after the start.
    for (const id of ids) expect((await pollUntil(async () => ((await store.get('hub-r', id))?.status === 'delivered' ? true : undefined), 6000, id, 20))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const all = await Promise.all(ids.map((id) => store.get('hub-r', id)));
    expect(all.map((d) => d!.attempts.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(sent).toHaveLength(6);
  });

  it('should say it is alive when the scheduler asks, and answer how many workers are', async () => {
    const other = new DeliveryWorker(
      { retrySchedule: [60_000], timeoutMs: 1000, retryAfterCapMs: 1000, concurrency: 4, perHubConcurrency: 4, pollMs: 20 },
      { store, transports: transports(client), subscribers: new FakeDirectory(async () => []), logger: createLogger('silent') },
    );
    worker = start(new FakeDirectory(async () => []));
    await expect(worker.heartbeat()).resolves.toBe(1);
    await expect(other.heartbeat()).resolves.toBe(2);
  });

  it('should unregister the hub of a listener that answers 410 Gone', async () => {
    const directory = new FakeDirectory(async () => []);
    const goneClient = { post: async (): Promise<WebhookResult> => ({ status: 410, durationMs: 1 }) };
    await store.insertMany([delivery('x1', 'hub-x')]);
    worker = new DeliveryWorker(
      { retrySchedule: [60_000], timeoutMs: 1000, retryAfterCapMs: 1000, concurrency: 4, perHubConcurrency: 4, pollMs: 20 },
      { store, transports: transports(goneClient), subscribers: directory, logger: createLogger('silent') },
    );
    worker.start();
    expect((await finished('hub-x', 'x1')).status).toBe('dead');
    await pollUntil(async () => (directory.unregistered.length ? true : undefined), 2000, 'the unregistration', 10);
    expect(directory.unregistered).toEqual(['hub-x']);
  });
  describe('busy (publishing yields to delivery while it is)', () => {
    it('should be busy while an attempt started less than 100 ms ago is in flight, and not for one that has run longer', async () => {
      let answer: (() => void) | undefined;
      const slow = { post: (): Promise<WebhookResult> => new Promise((resolve) => (answer = () => resolve({ status: 204, durationMs: 1 }))) };
      worker = new DeliveryWorker(
        { retrySchedule: [60_000], timeoutMs: 5000, retryAfterCapMs: 1000, concurrency: 4, perHubConcurrency: 4, pollMs: 20 },
        { store, transports: transports(slow), subscribers: new FakeDirectory(async () => []), logger: createLogger('silent') },
      );
      expect(worker.busy()).toBe(false);
      await store.insertMany([delivery('d1', 'hub-slow')]);
      worker.start();
      await pollUntil(async () => answer, 3000, 'the attempt to start', 5);
      expect(worker.busy()).toBe(true);
      // A listener that takes its time holds its slot, but no longer holds back publishing.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(worker.busy()).toBe(false);
      answer!();
      await finished('hub-slow', 'd1');
      expect(worker.busy()).toBe(false);
    });
  });
});
