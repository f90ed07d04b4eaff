import { HTTP } from 'cloudevents';
import { pollUntil } from '../helpers/poll';
import { describeWithServer } from '../helpers/broker-test';
import { expectWellFormed, SECRET } from '../helpers/broker-suites';
import { natsKit } from '../helpers/nats-kit';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

describeWithServer(natsKit.variable, natsKit.script, 'the NATS JetStream bridge', (address) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ config: natsKit.config(address), worker: {} });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('should publish nats: deliveries with Nats-Msg-Id, Standard Webhooks and CloudEvents NATS binding headers, and refuse subjects it cannot use', async () => {
    const topic = await app.client.post(`${API}/topic`, { name: 'orders' });
    for (const callback of ['nats:', 'nats:orders.*', 'nats:orders.>', 'nats:a..b', 'nats:has space', `nats:${'x'.repeat(256)}`]) {
      const refused = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback });
      expect([callback, refused.status]).toEqual([callback, 400]);
      expect(refused.body.message).toMatch(/NATS subject/);
    }
    const destination = await natsKit.destination(address, natsKit.unique('orders-out'));
    const hub = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: destination.callback, secret: SECRET });
    expect(hub.status).toBe(201);
    const published = [];
    for (let i = 0; i < 3; i++) published.push((await app.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: `o-${i}` } } })).body);
    const records = await destination.read((r) => r.length >= 3, 20_000);
    expect(records.map((r) => JSON.parse(r.value).eventId).sort()).toEqual(published.map((e) => e.eventId).sort());
    for (const record of records) {
      expectWellFormed(natsKit, record, topic.body.href, SECRET);
      expect(record.headers['Nats-Msg-Id']).toBe(record.headers['webhook-id']);
      // The NATS binding of CloudEvents is the HTTP binding's ce- headers: the SDK reads the message as a CloudEvent.
      const event = HTTP.toEvent({ headers: record.headers, body: record.value }) as { id: string; type: string; data: unknown };
      expect(event).toMatchObject({ id: record.headers['webhook-id'], type: 'OrderCreateEvent', data: JSON.parse(record.value) });
    }
    const log = await app.client.get(`${API}/topic/${topic.body.id}/hub/${hub.body.id}/delivery`);
    for (const delivery of log.body) expect(delivery.attempts[0].response).toMatch(/^stored in stream \S+ as sequence \d+$/);
    expect((await app.client.get('/ready')).body.nats).toEqual({ server: address, producer: 'connected', sources: expect.any(String), lag: expect.any(Object) });
  });

  it('should read CloudEvents in binary mode (ce- headers) and structured mode, the CloudEvent id becoming the eventId', async () => {
    const receiver = await TestReceiver.start();
    try {
      const source = natsKit.unique('faults-ce');
      await natsKit.prepareSource(address, source);
      const topic = await app.client.post(`${API}/topic`, { name: 'faults', source: { nats: source, format: 'cloudevents' } });
      expect(topic.status).toBe(201);
      await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: receiver.url('/faults') });
      const binary = HTTP.binary(new (await import('cloudevents')).CloudEvent({ id: 'ce-bin-1', type: 'FaultCreateEvent', source: '/nms', data: { event: { fault: { id: 'F1' } } } }));
      await pollUntil(async () => (app.bridges.get('nats')!.status().sources.state === 'running' ? true : undefined), 20_000, 'the source read', 50);
      await natsKit.produce(address, source, [
        { value: String(binary.body), headers: binary.headers as Record<string, string> },
        { value: JSON.stringify({ specversion: '1.0', id: 'ce-str-1', type: 'FaultCreateEvent', source: '/nms', data: { fault: { id: 'F2' } } }) },
      ]);
      await pollUntil(async () => (receiver.requests.length >= 2 ? true : undefined), 20_000, 'both events delivered', 50);
      const byId = Object.fromEntries(receiver.requests.map((r) => [r.json.eventId, r.json]));
      expect(byId['ce-bin-1']).toMatchObject({ eventType: 'FaultCreateEvent', event: { fault: { id: 'F1' } } });
      expect(byId['ce-str-1']).toMatchObject({ eventType: 'FaultCreateEvent', event: { fault: { id: 'F2' } } });
    } finally {
      await receiver.close();
    }
  });
});
