import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopics, describeKafka, readTopic, testKafka, uniqueTopic } from '../helpers/kafka-test';
import { pollUntil } from '../helpers/poll';
import { CLI_JS, startHubProcess, type HubProcess } from '../helpers/start-hub-process';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';
import { freshDatabaseEnv, MONGODB_URL } from '../helpers/test-stores';

const RECORDS = 1000;
/** Not events: not JSON, not an object, and JSON the contract refuses (eventType must be a string). */
const MALFORMED = ['{not json', '[1,2,3]', '{"eventType": 42}', '', '{"eventId": "m-1", "eventType": {"nested": true}}'];

/** 1,000 TMF events (every other one without eventId: the hub derives it from the record's position) and the malformed ones among them. */
async function produceSource(kafka: Kafka, topic: string): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const messages: Array<{ key: string; value: string }> = [];
  for (let i = 0; i < RECORDS; i++) {
    const event = { eventType: 'AlarmCreateEvent', event: { alarm: { id: `A-${i}` } } };
    messages.push({ key: `A-${i}`, value: JSON.stringify(i % 2 ? event : { ...event, eventId: `alarm-${i}` }) });
    if (i % 200 === 100) messages.push({ key: `bad-${i}`, value: MALFORMED[(i - 100) / 200] });
  }
  for (let i = 0; i < messages.length; i += 250) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 250) });
  await producer.disconnect();
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any; total: number }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json(), total: Number(res.headers.get('x-total-count')) };
}

describeKafka('topic sources (events read from a Kafka topic)', (brokers) => {
  let receiver: TestReceiver;
  const kafka = testKafka(brokers);
  beforeEach(async () => {
    receiver = await TestReceiver.start();
  });
  afterEach(async () => {
    await receiver.close();
  });

  /** What every variant ends with: 1,000 events, 1,000 distinct deliveries, the malformed records dead-lettered with a reason. */
  async function expectExactlyOnce(source: string, countEvents: () => Promise<number>, countDeliveries: () => Promise<number>): Promise<void> {
    await pollUntil(async () => (new Set(receiver.requests.map((r) => r.json.eventId)).size >= RECORDS ? true : undefined), 120_000, 'every event delivered', 200);
    expect(await countEvents()).toBe(RECORDS);
    expect(await countDeliveries()).toBe(RECORDS);
    const ids = new Set(receiver.requests.map((r) => r.json.eventId));
    expect(ids.size).toBe(RECORDS);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(RECORDS);
    for (let i = 0; i < RECORDS; i += 2) expect(ids.has(`alarm-${i}`)).toBe(true);
    expect([...ids].filter((id) => id.startsWith(`kafka:${source}:`))).toHaveLength(RECORDS / 2);

    const dlq = await readTopic(kafka, `${source}.dlq`, (r) => new Set(r.map((x) => x.headers['tmf688-dlq-source'])).size >= MALFORMED.length, 30_000);
    // A crash may dead-letter a record twice (before its offset was committed); each says where it came from.
    expect(new Set(dlq.map((r) => r.headers['tmf688-dlq-source'])).size).toBe(MALFORMED.length);
    expect(new Set(dlq.map((r) => r.value))).toEqual(new Set(MALFORMED));
    for (const record of dlq) expect(record.headers['tmf688-dlq-reason']).toMatch(/not JSON|not a JSON object|no value|eventType/);
  }

  // The embedded store dies with its process, so there the crash is a replay in-process; on MongoDB, real processes are killed.
  const onEmbeddedStore = MONGODB_URL ? it.skip : it;
  const onMongoDb = MONGODB_URL ? it : it.skip;

  onEmbeddedStore('should publish 1,000 records as 1,000 events fanned out once each, dead-letter the malformed ones, and turn a full replay into no-ops', async () => {
    const source = uniqueTopic('alarms-in');
    await createTopics(kafka, [{ topic: source, numPartitions: 2 }]);
    const config = { kafkaBrokers: brokers, kafkaGroup: `g-${randomUUID()}` };
    const first: TestApp = await buildTestApp({ config, worker: { concurrency: 64, perHubConcurrency: 16 } });
    let second: TestApp | undefined;
    let firstStopped = false;
    try {
      const topic = await first.client.post(`${API}/topic`, { name: 'alarms', source: { kafka: source, format: 'tmf' } });
      expect(topic.status).toBe(201);
      expect(topic.body.source).toEqual({ kafka: source, format: 'tmf' });
      const hub = await first.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: receiver.url('/alarms') });
      await produceSource(kafka, source);
      const events = async () => (await first.client.get(`${API}/topic/${topic.body.id}/event?limit=1`)).headers['x-total-count'];
      const deliveries = async () => (await first.client.get(`${API}/topic/${topic.body.id}/hub/${hub.body.id}/delivery?limit=1`)).headers['x-total-count'];
      await expectExactlyOnce(source, async () => Number(await events()), async () => Number(await deliveries()));
      const metrics = (await first.client.get('/metrics')).text;
      expect(metrics).toContain(`tmf688_kafka_consumed_records_total{result="stored"} ${RECORDS}`);
      expect(metrics).toContain(`tmf688_kafka_consumed_records_total{result="dead_lettered"} ${MALFORMED.length}`);
      expect(metrics).toMatch(new RegExp(`tmf688_kafka_consumer_lag\\{source="${source.replace('.', '\\.')}"\\} 0`));
      expect((await first.client.get('/ready')).body).toMatchObject({ status: 'ready', kafka: { producer: expect.any(String), sources: 'running' } });
      await first.stop();
      firstStopped = true;

      // A second process of another group reads the whole topic again on the same store: every record is a duplicate.
      second = await buildTestApp({ config: { ...config, kafkaGroup: `g-${randomUUID()}` }, stores: first.stores, worker: {} });
      await pollUntil(async () => (second!.bridges.get('kafka')!.status().sources.duplicates >= RECORDS ? true : undefined), 60_000, 'the replay read', 200);
      expect(second.bridges.get('kafka')!.status().sources.stored).toBe(0);
      expect(Number(await events())).toBe(RECORDS);
      expect(Number(await deliveries())).toBe(RECORDS);
    } finally {
      if (!firstStopped) await first.stop();
      await second?.stop();
    }
  }, 180_000);

  onMongoDb('should store exactly 1,000 events and make 1,000 distinct deliveries when the hub process is killed (SIGKILL) in the middle and started again', async () => {
    const source = uniqueTopic('alarms-kill');
    await createTopics(kafka, [{ topic: source, numPartitions: 2 }]);
    const env = {
      ...freshDatabaseEnv(),
      HUB_KAFKA_BROKERS: brokers.join(','),
      HUB_KAFKA_GROUP: `g-${randomUUID()}`,
      HUB_DELIVERY_TIMEOUT: '2s',
      LOG_LEVEL: 'warn',
    };
    const processes: HubProcess[] = [];
    const start = async () => {
      const hub = await startHubProcess({ ...env, LOG_LEVEL: 'info' }, 30_000, CLI_JS);
      processes.push(hub);
      return hub;
    };
    try {
      const first = await start();
      const topic = await json(`${first.baseUrl}${API}/topic`, { method: 'POST', body: JSON.stringify({ name: 'alarms', source: { kafka: source } }) });
      expect(topic.status).toBe(201);
      const hub = await json(`${first.baseUrl}${API}/topic/${topic.body.id}/hub`, { method: 'POST', body: JSON.stringify({ callback: receiver.url('/alarms') }) });
      expect(hub.status).toBe(201);
      await produceSource(kafka, source);
      const events = async (base: string) => (await json(`${base}${API}/topic/${topic.body.id}/event?limit=1`)).total;
      const stored = await pollUntil(async () => {
        const count = await events(first.baseUrl);
        return count >= 150 ? count : undefined;
      }, 60_000, 'the first events stored', 20);
      first.child.kill('SIGKILL');
      await first.exited;
      // Killed in the middle: some of the records were published, not all.
      expect(stored).toBeLessThan(RECORDS);

      const second = await start();
      await expectExactlyOnce(
        source,
        () => events(second.baseUrl),
        async () => (await json(`${second.baseUrl}${API}/topic/${topic.body.id}/hub/${hub.body.id}/delivery?limit=1`)).total,
      );
    } finally {
      for (const hub of processes) {
        hub.child.kill('SIGKILL');
        await hub.exited;
      }
    }
  }, 240_000);
});
