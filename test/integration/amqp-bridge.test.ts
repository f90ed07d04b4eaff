import { connect, type Channel } from 'amqplib';
import { amqpKit, readQueue } from '../helpers/amqp-kit';
import { describeWithServer } from '../helpers/broker-test';
import { expectWellFormed, SECRET } from '../helpers/broker-suites';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

describeWithServer(amqpKit.variable, amqpKit.script, 'the RabbitMQ bridge', (address) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ config: amqpKit.config(address), worker: { retrySchedule: [60_000] } });
  });
  afterAll(async () => {
    await app.stop();
  });

  /** Runs `use` on a channel of the test's own. */
  async function withChannel<T>(use: (channel: Channel) => Promise<T>): Promise<T> {
    const model = await connect(address);
    try {
      return await use(await model.createChannel());
    } finally {
      await model.close();
    }
  }

  it('should publish to an exchange with a routing key: persistent, message_id = the delivery id, headers in the CloudEvents AMQP binding; refuse bad destinations', async () => {
    const topic = await app.client.post(`${API}/topic`, { name: 'orders' });
    for (const callback of ['amqp:no-slash', 'amqp:/', 'amqp:/amq.gen-1', 'amqp:bad name/rk', `amqp:ex/${'k'.repeat(256)}`]) {
      const refused = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback });
      expect([callback, refused.status]).toEqual([callback, 400]);
      expect(refused.body.message).toMatch(/RabbitMQ/);
    }
    const exchange = amqpKit.unique('orders-x');
    const queue = amqpKit.unique('orders-q');
    await withChannel(async (channel) => {
      await channel.assertExchange(exchange, 'topic', { durable: true });
      await channel.assertQueue(queue, { durable: true });
      await channel.bindQueue(queue, exchange, 'order.#');
    });
    const hub = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `amqp:${exchange}/order.created`, secret: SECRET });
    expect(hub.status).toBe(201);
    const event = (await app.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: 'o-1' } } })).body;
    const [record] = await readQueue(address, queue, (r) => r.length >= 1, 20_000);
    expect(JSON.parse(record.value).eventId).toBe(event.eventId);
    expectWellFormed(amqpKit, record, topic.body.href, SECRET);
    expect(record.headers).toMatchObject({ 'content-type': 'application/json', 'message-id': record.headers['webhook-id'] });
    const log = await app.client.get(`${API}/topic/${topic.body.id}/hub/${hub.body.id}/delivery`);
    expect(log.body[0].attempts[0].response).toBe(`confirmed by RabbitMQ: exchange ${exchange} (routing key order.created), persistent`);
  });

  it('should fail, not deliver, a message no queue takes or sent to an exchange that does not exist', async () => {
    const topic = await app.client.post(`${API}/topic`, { name: 'orders' });
    const exchange = amqpKit.unique('lonely-x');
    await withChannel((channel) => channel.assertExchange(exchange, 'direct', { durable: false, autoDelete: false }));
    const unroutable = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `amqp:${exchange}/nobody` });
    const missing = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `amqp:${amqpKit.unique('missing-x')}/rk` });
    await app.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'OrderCreateEvent', event: {} });
    const attempt = async (hubId: string) =>
      pollUntil(async () => (await app.client.get(`${API}/topic/${topic.body.id}/hub/${hubId}/delivery`)).body[0]?.attempts[0], 20_000, 'the first attempt');
    expect(await attempt(unroutable.body.id)).toMatchObject({ outcome: 'failed', error: `RabbitMQ: unroutable: no queue is bound to exchange ${exchange} (routing key nobody)` });
    expect((await attempt(missing.body.id)).error).toMatch(/^RabbitMQ: .*NOT_FOUND - no exchange/);
    await withChannel((channel) => channel.deleteExchange(exchange));
  });

  it("should not let a listener's missing exchange fail another listener's publishes on the shared channel", async () => {
    const topic = await app.client.post(`${API}/topic`, { name: 'orders' });
    const exchange = amqpKit.unique('healthy-x');
    const queue = amqpKit.unique('healthy-q');
    await withChannel(async (channel) => {
      await channel.assertExchange(exchange, 'direct', { durable: false });
      await channel.assertQueue(queue, { durable: false });
      await channel.bindQueue(queue, exchange, 'rk');
    });
    const healthy = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `amqp:${exchange}/rk` });
    const missing = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `amqp:${amqpKit.unique('missing-x')}/rk` });
    const published = await Promise.all(
      Array.from({ length: 20 }, (_, i) => app.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: `o-${i}` } } })),
    );
    expect(published.map((r) => r.status)).toEqual(Array(20).fill(201));
    const deliveries = (hubId: string) => app.client.get(`${API}/topic/${topic.body.id}/hub/${hubId}/delivery?limit=100`).then((r) => r.body as { attempts: { outcome: string; error?: string }[] }[]);
    const failedFirst = await pollUntil(async () => {
      const list = await deliveries(missing.body.id);
      return list.length === 20 && list.every((d) => d.attempts.length > 0) ? list : undefined;
    }, 20_000, "the missing exchange's first attempts");
    expect(failedFirst.map((d) => d.attempts[0].outcome)).toEqual(Array(20).fill('failed'));
    const done = await pollUntil(async () => {
      const list = await deliveries(healthy.body.id);
      return list.length === 20 && list.every((d) => d.attempts.length > 0) ? list : undefined;
    }, 20_000, "the healthy listener's attempts");
    // Every healthy publish went through on its first attempt: none failed with the other exchange's refusal.
    expect(done.flatMap((d) => d.attempts.map((a) => a.error ?? a.outcome))).toEqual(Array(20).fill('delivered'));
    expect(await readQueue(address, queue, (r) => r.length >= 20, 20_000)).toHaveLength(20);
    await withChannel((channel) => channel.deleteExchange(exchange).then(() => channel.deleteQueue(queue)));
  });

  it("should reject a refused record to the queue's dead-letter exchange when it has one, and read CloudEvents in binary mode (cloudEvents_ headers)", async () => {
    const receiver = await TestReceiver.start();
    try {
      const source = amqpKit.unique('alarms-dlx');
      const dead = `${source}.dead`;
      await withChannel(async (channel) => {
        await channel.assertQueue(dead, { durable: true });
        // More than one argument: the hub learns them one refusal at a time.
        await channel.assertQueue(source, { durable: true, arguments: { 'x-message-ttl': 600_000, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dead } });
      });
      const topic = await app.client.post(`${API}/topic`, { name: 'alarms', source: { amqp: source, format: 'cloudevents' } });
      expect(topic.status).toBe(201);
      await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: receiver.url('/alarms') });
      await pollUntil(async () => (app.bridges.get('amqp')!.status().sources.state === 'running' ? true : undefined), 20_000, 'the source read', 50);
      const binary = { cloudEvents_specversion: '1.0', cloudEvents_id: 'ce-amqp-1', cloudEvents_type: 'AlarmCreateEvent', cloudEvents_source: '/nms' };
      await amqpKit.produce(address, source, [{ value: '{"event":{"alarm":{"id":"A1"}}}', headers: binary }, { value: '{not json' }]);
      await pollUntil(async () => (receiver.requests.length >= 1 ? true : undefined), 20_000, 'the event delivered', 50);
      expect(receiver.requests[0].json).toMatchObject({ eventId: 'ce-amqp-1', eventType: 'AlarmCreateEvent', event: { alarm: { id: 'A1' } } });
      const [rejected] = await readQueue(address, dead, (r) => r.length >= 1, 20_000);
      expect(rejected.value).toBe('{not json');
      // Dead-lettered by RabbitMQ (x-death), not copied by the hub to <queue>.dlq.
      expect(rejected.headers['x-death']).toBeDefined();
      expect(await readQueue(address, `${source}.dlq`, () => false, 500)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
