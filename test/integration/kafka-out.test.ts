import { loadConfig } from '../../src/config';
import type { DeliveryWorkerConfig } from '../../src/delivery/delivery-worker';
import { signWebhook } from '../../src/delivery/sign-webhook';
import { createTopics, describeKafka, OwnBroker, readTopic, testKafka, uniqueTopic, type ReadRecord } from '../helpers/kafka-test';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

const SECRET = 'kafka-test-secret-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function kafkaHub(hub: TestApp, kafkaTopic: string, extra: Record<string, unknown> = {}): Promise<{ topicId: string; hubId: string; href: string }> {
  const topic = await hub.client.post(`${API}/topic`, { name: 'orders' });
  expect(topic.status).toBe(201);
  const created = await hub.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `kafka:${kafkaTopic}`, ...extra });
  expect(created.status).toBe(201);
  return { topicId: topic.body.id, hubId: created.body.id, href: topic.body.href };
}

/** Every check a delivered record must pass: key, value, Standard Webhooks and CloudEvents Kafka binding headers. */
function expectWellFormed(record: ReadRecord, topicHref: string, secret?: string): void {
  const event = JSON.parse(record.value);
  expect(record.key).toBe(event.eventId);
  const h = record.headers;
  expect(h['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(h['webhook-timestamp']).toMatch(/^\d+$/);
  expect(h['content-type']).toBe('application/json');
  expect(h).toMatchObject({ ce_id: h['webhook-id'], ce_type: event.eventType, ce_source: topicHref, ce_time: event.eventTime, ce_specversion: '1.0' });
  if (secret) expect(h['webhook-signature'].split(' ')).toContain(signWebhook(secret, h['webhook-id'], h['webhook-timestamp'], record.value));
  else expect(h['webhook-signature']).toBeUndefined();
}

describeKafka('kafka: callbacks (the delivery worker producing to Kafka)', (brokers) => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });

  async function start(kafkaBrokers: string[], worker: Partial<DeliveryWorkerConfig> = {}): Promise<TestApp> {
    const app = await buildTestApp({ config: { kafkaBrokers }, worker });
    apps.push(app);
    return app;
  }

  it('should produce through the outbox with fields= projection, keys and headers, and refuse invalid topic names', async () => {
    const hub = await start(brokers);
    const kafkaTopic = uniqueTopic('orders-out');
    await createTopics(testKafka(brokers), [{ topic: kafkaTopic, numPartitions: 2 }]);
    const { topicId, hubId, href } = await kafkaHub(hub, kafkaTopic, { secret: SECRET });
    const projected = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: `kafka:${kafkaTopic}`, query: 'fields=eventType' });
    expect(projected.status).toBe(201);
    for (const callback of ['kafka:', 'kafka:..', 'kafka:has space', `kafka:${'x'.repeat(250)}`, 'kafka:a/b']) {
      const refused = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/Kafka topic name/);
    }
    const events = [];
    for (let i = 0; i < 5; i++) {
      const res = await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: `o-${i}` } } });
      events.push(res.body);
    }
    const records = await readTopic(testKafka(brokers), kafkaTopic, (r) => r.length >= 10, 30_000);
    expect(records).toHaveLength(10);
    const full = records.filter((r) => r.headers['webhook-signature'] !== undefined);
    expect(full.map((r) => JSON.parse(r.value).eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (const record of full) expectWellFormed(record, href, SECRET);
    // The projected hub's records: only what fields= keeps (plus id, href, @type), keyed by the eventId all the same.
    const slim = records.filter((r) => r.headers['webhook-signature'] === undefined);
    expect(slim).toHaveLength(5);
    for (const record of slim) {
      expect(Object.keys(JSON.parse(record.value)).sort()).toEqual(['@type', 'eventType', 'href', 'id']);
      expect(events.map((e) => e.eventId)).toContain(record.key);
    }
    // The attempt log says what the broker answered.
    const log = await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/delivery`);
    expect(log.body).toHaveLength(5);
    for (const delivery of log.body) {
      expect(delivery.status).toBe('delivered');
      expect(delivery.attempts[0].response).toMatch(new RegExp(`^acknowledged by ${kafkaTopic.replace('.', '\\.')} \\(partition \\d`));
    }
  }, 60_000);

  it('should deliver all of 1,000 events across a 20 s broker outage: failed attempts retried on the default schedule, none dead', async () => {
    const broker = await OwnBroker.start();
    try {
      const defaults = loadConfig({});
      // The production retry schedule (5s, 30s, 2m, ...); a short timeout so that attempts during the outage fail fast.
      const hub = await start(broker.brokers, { retrySchedule: defaults.retrySchedule, timeoutMs: 3000, concurrency: 64, perHubConcurrency: 32 });
      const kafka = testKafka(broker.brokers);
      const kafkaTopic = uniqueTopic('orders-outage');
      await createTopics(kafka, [{ topic: kafkaTopic, numPartitions: 3 }]);
      const { topicId, hubId, href } = await kafkaHub(hub, kafkaTopic, { secret: SECRET });

      let published = 0;
      const outage = (async () => {
        await pollUntil(async () => (published >= 250 ? true : undefined), 60_000, '250 events published', 20);
        await broker.stop();
        await sleep(20_000);
        await broker.restart();
      })();
      const eventIds = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const res = await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: `o-${i}` } } });
        expect(res.status).toBe(201);
        eventIds.add(res.body.eventId);
        published++;
        // About 40 a second: the outage falls in the middle of the run.
        await sleep(25);
      }
      await outage;

      const settled = await pollUntil(
        async () => ((await hub.stores.deliveries.pendingStats()).count === 0 ? true : undefined),
        200_000,
        'every delivery delivered or dead',
        500,
      );
      expect(settled).toBe(true);
      const { items, total } = await hub.stores.deliveries.list(hubId, { filter: [], offset: 0, limit: 2000 });
      expect(total).toBe(1000);
      expect(items.filter((d) => d.status !== 'delivered')).toEqual([]);
      // The outage was felt: attempts failed and were retried, and the retries succeeded. How many
      // depends on timing: once attempts fail the hub's window shrinks to one attempt at a time
      // (adaptive concurrency), each held up to the 3 s timeout (on a busy CI machine, 10 in all once).
      const retried = items.filter((d) => d.attempts.some((a) => a.outcome === 'failed'));
      expect(retried.length).toBeGreaterThan(0);
      for (const delivery of retried) expect(delivery.attempts.at(-1)!.outcome).toBe('delivered');
      expect(retried[0].attempts[0].error).toMatch(/^Kafka: /);

      const deliveryIds = new Set(items.map((d) => d.id));
      const records = await readTopic(kafka, kafkaTopic, (r) => new Set(r.map((x) => x.headers['webhook-id'])).size >= 1000, 60_000);
      const seen = new Set(records.map((r) => r.headers['webhook-id']));
      // Duplicates are allowed (a produce acknowledged after its attempt timed out), each recognisable by its webhook-id.
      expect(seen).toEqual(deliveryIds);
      expect(new Set(records.map((r) => r.key))).toEqual(eventIds);
      for (const record of records) expectWellFormed(record, href, SECRET);
    } finally {
      await broker.destroy();
    }
  }, 300_000);
});
