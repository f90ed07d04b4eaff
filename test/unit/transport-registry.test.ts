import type { DeliveryTransport, TransportAttempt } from '../../src/delivery/delivery-transport';
import { recordTransport, type OutgoingRecord } from '../../src/delivery/record-transport';
import { callbackScheme, TransportRegistry } from '../../src/delivery/transport-registry';
import type { Delivery } from '../../src/store/delivery-types';

/** An HTTP transport that records what it is asked, refusing what is not http(s) as the callback guard does. */
function fakeHttp(): DeliveryTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    schemes: ['http', 'https'],
    broker: false,
    creationRefusal: async (url) => (/^https?:\/\//.test(url) ? undefined : `"${url}" must be an http(s) URL`),
    send: async ({ delivery }) => (sent.push(delivery.url), { status: 204, durationMs: 1 }),
  };
}

function kafka(produced: OutgoingRecord[]): DeliveryTransport {
  return recordTransport({
    scheme: 'kafka',
    destinationRefusal: (name) => (name.includes(' ') ? `"${name}" is not a valid Kafka topic name` : undefined),
    recordHeaders: (headers) => ({ ...headers, mapped: 'yes' }),
    send: async (record) => (produced.push(record), { response: 'ack', durationMs: 2 }),
  });
}

const attempt = (url: string, extra: Partial<Delivery> = {}): TransportAttempt => ({
  delivery: { id: 'd1', url, eventId: 'e1', ...extra } as Delivery,
  body: '{"a":1}',
  headers: { 'webhook-id': 'd1' },
  timeoutMs: 500,
});

describe('callbackScheme', () => {
  it.each([
    ['http://a.example/x', 'http'],
    ['HTTPS://a.example', 'https'],
    ['kafka:orders.out', 'kafka'],
    ['nats:orders', 'nats'],
    ['no-scheme', ''],
    [':orders', ''],
  ])('%s -> %j', (url, scheme) => {
    expect(callbackScheme(url)).toBe(scheme);
  });
});

describe('TransportRegistry', () => {
  const withKafka = () => {
    const produced: OutgoingRecord[] = [];
    const http = fakeHttp();
    return { produced, http, registry: new TransportRegistry(http, [kafka(produced)]) };
  };

  it.each<[string, boolean, boolean]>([
    ['http://listener.example/cb', false, false],
    ['https://listener.example/cb', false, false],
    ['kafka:orders.out', true, true],
    ['ftp://files.example', false, false],
  ])('should tell whether %s is a broker destination (with Kafka: %s, without: %s)', (url, configured, unconfigured) => {
    expect(withKafka().registry.isBroker(url)).toBe(configured);
    // A broker the hub knows stays a broker destination when it is not configured (its hubs cannot be created then).
    expect(new TransportRegistry(fakeHttp()).isBroker(url)).toBe(url.startsWith('kafka:') ? true : unconfigured);
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['http://listener.example/cb', undefined, undefined],
    ['kafka:orders.out', undefined, 'a kafka: callback needs Kafka, which is not configured on this hub (HUB_KAFKA_BROKERS)'],
    ['kafka:bad name', '"bad name" is not a valid Kafka topic name', 'a kafka: callback needs Kafka, which is not configured on this hub (HUB_KAFKA_BROKERS)'],
    ['ftp://files.example', '"ftp://files.example" must be an http(s) URL', '"ftp://files.example" must be an http(s) URL'],
    ['orders', '"orders" must be an http(s) URL', '"orders" must be an http(s) URL'],
  ])('should judge the callback %s at creation', async (url, configured, unconfigured) => {
    await expect(withKafka().registry.creationRefusal(url)).resolves.toBe(configured);
    await expect(new TransportRegistry(fakeHttp()).creationRefusal(url)).resolves.toBe(unconfigured);
  });

  it('should send HTTP callbacks through HTTP and broker ones as records keyed by ordering key, else eventId', async () => {
    const { registry, produced, http } = withKafka();
    await expect(registry.send(attempt('https://listener.example/cb'))).resolves.toEqual({ status: 204, durationMs: 1 });
    await expect(registry.send(attempt('kafka:orders.out'))).resolves.toEqual({ acknowledged: true, response: 'ack', durationMs: 2 });
    await registry.send(attempt('kafka:orders.out', { orderingKey: 'PO-7' }));
    expect(http.sent).toEqual(['https://listener.example/cb']);
    expect(produced).toEqual([
      { topic: 'orders.out', key: 'e1', value: '{"a":1}', headers: { 'webhook-id': 'd1', mapped: 'yes' }, timeoutMs: 500 },
      { topic: 'orders.out', key: 'PO-7', value: '{"a":1}', headers: { 'webhook-id': 'd1', mapped: 'yes' }, timeoutMs: 500 },
    ]);
  });

  it('should fail, not throw, an attempt for a broker that is not configured any more, or a scheme nothing serves', async () => {
    const registry = new TransportRegistry(fakeHttp());
    await expect(registry.send(attempt('kafka:orders.out'))).resolves.toEqual({ error: 'Kafka is not configured (HUB_KAFKA_BROKERS)', durationMs: 0 });
    await expect(registry.send(attempt('gopher:x'))).resolves.toEqual({ error: 'no transport delivers to "gopher": callbacks', durationMs: 0 });
  });

  it('should refuse two transports for one scheme', () => {
    expect(() => new TransportRegistry(fakeHttp(), [kafka([]), kafka([])])).toThrow('two delivery transports serve the kafka: scheme');
  });

  it('should pass a broker failure on as the attempt error', async () => {
    const failing = recordTransport({ scheme: 'kafka', destinationRefusal: () => undefined, recordHeaders: (h) => h, send: async () => ({ error: 'broker down', durationMs: 7 }) });
    await expect(new TransportRegistry(fakeHttp(), [failing]).send(attempt('kafka:x'))).resolves.toEqual({ error: 'broker down', durationMs: 7 });
  });
});
