import { CloudEvent, MQTT } from 'cloudevents';
import { connectAsync } from 'mqtt';
import { describeWithServer } from '../helpers/broker-test';
import { expectWellFormed, SECRET } from '../helpers/broker-suites';
import { mqttKit, subscriber } from '../helpers/mqtt-kit';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

describeWithServer(mqttKit.variable, mqttKit.script, 'the MQTT bridge', (address) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ config: mqttKit.config(address), worker: {} });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('should publish mqtt: deliveries at QoS 1 with the headers as user properties (the CloudEvents MQTT binding), and refuse topics it cannot publish to', async () => {
    const topic = await app.client.post(`${API}/topic`, { name: 'orders' });
    for (const callback of ['mqtt:', 'mqtt:orders/+', 'mqtt:orders/#', 'mqtt:$SYS/x']) {
      const refused = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback });
      expect([callback, refused.status]).toEqual([callback, 400]);
      expect(refused.body.message).toMatch(/MQTT/);
    }
    const destination = await mqttKit.destination(address, mqttKit.unique('orders-out'));
    const hub = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: destination.callback, secret: SECRET });
    expect(hub.status).toBe(201);
    const event = (await app.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: 'o-1' } } })).body;
    const [record] = await destination.read((r) => r.length >= 1, 20_000);
    await destination.close();
    expect(JSON.parse(record.value).eventId).toBe(event.eventId);
    expectWellFormed(mqttKit, record, topic.body.href, SECRET);
    expect(record.headers['content-type']).toBe('application/json');
    // The SDK's MQTT binding reads the message as a binary-mode CloudEvent.
    const { 'content-type': contentType, ...userProperties } = record.headers;
    const read = MQTT.toEvent({ body: JSON.parse(record.value), headers: userProperties, PUBLISH: { 'Content Type': contentType } } as never) as CloudEvent;
    expect(read).toMatchObject({ id: record.headers['webhook-id'], type: 'OrderCreateEvent', source: topic.body.href });
    const log = await app.client.get(`${API}/topic/${topic.body.id}/hub/${hub.body.id}/delivery`);
    expect(log.body[0].attempts[0].response).toMatch(/^PUBACK from the broker \(QoS 1, reason code (0|16)/);
  });

  it('should read a topic filter: wildcards matched, binary-mode CloudEvents read, refused records to <topic>/dlq and never read back', async () => {
    const receiver = await TestReceiver.start();
    const root = mqttKit.unique('faults');
    const dlq = await subscriber(address, `${root}/+/dlq`);
    try {
      for (const filter of ['a/#/b', 'a+', '$share/g/x']) {
        const refused = await app.client.post(`${API}/topic`, { name: 'x', source: { mqtt: filter } });
        expect([filter, refused.status]).toEqual([filter, 400]);
      }
      const topic = await app.client.post(`${API}/topic`, { name: 'faults', source: { mqtt: `${root}/#`, format: 'cloudevents' } });
      expect(topic.status).toBe(201);
      await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: receiver.url('/faults') });
      const bridge = app.bridges.get('mqtt')!;
      await pollUntil(async () => (bridge.status().sources.state === 'running' ? true : undefined), 20_000, 'the source read', 50);
      const before = bridge.status().sources.consumed;
      const binary = MQTT.binary(new CloudEvent({ id: 'ce-mqtt-1', type: 'FaultCreateEvent', source: '/nms', datacontenttype: 'application/json', data: { event: { fault: { id: 'F1' } } } }));
      // The SDK's message has the unset attributes as undefined: user properties carry the set ones.
      const userProperties = Object.fromEntries(Object.entries(binary.headers).filter(([, value]) => value !== undefined).map(([name, value]) => [name, String(value)]));
      const client = await connectAsync(address, { protocolVersion: 5 });
      await client.publishAsync(`${root}/eu`, JSON.stringify(binary.body), { qos: 1, properties: { userProperties, contentType: 'application/json' } });
      await client.publishAsync(`${root}/us`, '{not json', { qos: 1 });
      await client.endAsync();
      await pollUntil(async () => (receiver.requests.length >= 1 && dlq.received.length >= 1 ? true : undefined), 20_000, 'the event and the dead letter', 50);
      expect(receiver.requests[0].json).toMatchObject({ eventId: 'ce-mqtt-1', eventType: 'FaultCreateEvent', event: { fault: { id: 'F1' } } });
      expect(dlq.received[0]).toMatchObject({ value: '{not json', headers: { 'tmf688-dlq-source': expect.stringMatching(new RegExp(`^${root}/us:sha256:`)) } });
      // <root>/us/dlq matches <root>/#, yet it is not read back: two records consumed, not three.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(bridge.status().sources.consumed - before).toBe(2);
    } finally {
      await dlq.client.endAsync();
      await receiver.close();
    }
  });
});
