import { acknowledgement } from '../../src/bridge/bridge-record';
import { bridgeReadiness, ProducerCounts } from '../../src/bridge/bridge-status';
import { deadLetterHeaders } from '../../src/bridge/dead-letter-headers';
import { contentPosition, derivedEventId } from '../../src/bridge/derived-event-id';
import { LazyConnection } from '../../src/bridge/lazy-connection';
import { redactSecrets, redactUrl, urlSecrets } from '../../src/bridge/redact';
import { cloudEventAttributes, sourceEvent, type RecordFormat } from '../../src/bridge/source-record';

describe('derived eventIds (records without one)', () => {
  it('should derive the same id from the same position, and different ones elsewhere', () => {
    expect(derivedEventId('kafka', 'network.alarms', '2:41')).toBe('kafka:network.alarms:2:41');
    expect(derivedEventId('nats', 'alarms', '7')).not.toBe(derivedEventId('nats', 'alarms', '8'));
    expect(derivedEventId('nats', 'alarms', '7')).not.toBe(derivedEventId('mqtt', 'alarms', '7'));
  });

  it.each<[string, Buffer | string | null, Buffer | string | null, boolean]>([
    ['the same bytes', '{"a":1}', Buffer.from('{"a":1}'), true],
    ['other bytes', '{"a":1}', '{"a":2}', false],
    ['no value and an empty one', null, '', true],
  ])('should give %s the same content position: %s', (_case, a, b, same) => {
    expect(contentPosition(a)).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(contentPosition(a) === contentPosition(b)).toBe(same);
  });
});

describe('the event of a source record', () => {
  const record = (value: string | null, attributes: Record<string, string> = {}) => ({
    value: value === null ? null : Buffer.from(value),
    attributes,
    derivedEventId: 'kafka:network.alarms:2:41',
  });
  const binary = { specversion: '1.0', id: 'ce-3', type: 'AlarmCreateEvent', source: '/nms', time: '2026-01-01T00:00:00Z' };

  it.each<[string, RecordFormat, string | null, Record<string, string>, unknown]>([
    ['a TMF event with its eventId', 'tmf', '{"eventId":"a-1","eventType":"Alarm"}', {}, { event: { eventId: 'a-1', eventType: 'Alarm' } }],
    ['a TMF event without eventId', 'tmf', '{"eventType":"Alarm"}', {}, { event: { eventType: 'Alarm', eventId: 'kafka:network.alarms:2:41' } }],
    ['a TMF event with CloudEvents headers, read as TMF', 'tmf', '{"eventType":"Alarm"}', binary, { event: { eventType: 'Alarm', eventId: 'kafka:network.alarms:2:41' } }],
    [
      'a structured CloudEvent whose data is a TMF event',
      'cloudevents',
      '{"specversion":"1.0","id":"ce-1","type":"AlarmCreateEvent","source":"/nms","time":"2026-01-01T00:00:00Z","data":{"eventId":"x","event":{"alarm":{"id":"A1"}}}}',
      {},
      { event: { eventId: 'ce-1', eventType: 'AlarmCreateEvent', eventTime: '2026-01-01T00:00:00Z', event: { alarm: { id: 'A1' } } } },
    ],
    [
      'a structured CloudEvent whose data is the payload',
      'cloudevents',
      '{"specversion":"1.0","id":"ce-2","type":"AlarmCreateEvent","source":"/nms","data":{"alarm":{"id":"A2"}}}',
      {},
      { event: { eventId: 'ce-2', eventType: 'AlarmCreateEvent', event: { alarm: { id: 'A2' } } } },
    ],
    [
      'a binary-mode CloudEvent (attributes in the headers, data in the value)',
      'cloudevents',
      '{"event":{"alarm":{"id":"A3"}}}',
      binary,
      { event: { eventId: 'ce-3', eventType: 'AlarmCreateEvent', eventTime: '2026-01-01T00:00:00Z', event: { alarm: { id: 'A3' } } } },
    ],
    ['a binary-mode CloudEvent whose data is an array', 'cloudevents', '[1,2]', binary, { event: { eventId: 'ce-3', eventType: 'AlarmCreateEvent', eventTime: '2026-01-01T00:00:00Z', event: [1, 2] } }],
    ['a binary-mode CloudEvent without data', 'cloudevents', null, binary, { invalid: 'the record has no value' }],
    ['incomplete headers: read as structured', 'cloudevents', '{"eventType":"T"}', { id: 'x', type: 'T' }, { invalid: 'the CloudEvent has no specversion' }],
    ['no value', 'tmf', null, {}, { invalid: 'the record has no value' }],
    ['an empty value', 'tmf', '', {}, { invalid: 'the record has no value' }],
    ['a value that is not JSON', 'tmf', '{not json', {}, { invalid: expect.stringMatching(/^the record value is not JSON: /) }],
    ['a JSON array', 'tmf', '[1]', {}, { invalid: 'the record value is not a JSON object' }],
    ['a CloudEvent without id', 'cloudevents', '{"specversion":"1.0","type":"T","source":"/s"}', {}, { invalid: 'the CloudEvent has no id' }],
    ['a TMF event read as a CloudEvent', 'cloudevents', '{"eventId":"a","eventType":"T"}', {}, { invalid: 'the CloudEvent has no specversion' }],
  ])('should read %s', (_case, format, value, attributes, expected) => {
    expect(sourceEvent(format, record(value, attributes))).toEqual(expected);
  });

  it.each<[string, Record<string, string>, string[], Record<string, string>]>([
    ['Kafka ce_ headers', { ce_id: '1', ce_type: 'T', 'webhook-id': 'w' }, ['ce_'], { id: '1', type: 'T' }],
    ['NATS ce- headers, any case', { 'Ce-Id': '1', 'ce-source': '/s' }, ['ce-'], { id: '1', source: '/s' }],
    ['AMQP cloudEvents_ and cloudEvents: properties', { cloudEvents_id: '1', 'cloudEvents:type': 'T', other: 'x' }, ['cloudEvents_', 'cloudEvents:'], { id: '1', type: 'T' }],
    ['MQTT user properties (no prefix)', { id: '1', specversion: '1.0' }, [''], { id: '1', specversion: '1.0' }],
    ['a bare prefix', { ce_: 'x' }, ['ce_'], {}],
  ])('should read the CloudEvents attributes of %s', (_case, headers, prefixes, expected) => {
    expect(cloudEventAttributes(headers, prefixes)).toEqual(expected);
  });
});

describe('dead-letter headers', () => {
  it('should keep the record headers and add the reason (cut to 1,000 characters) and the source', () => {
    const headers = deadLetterHeaders({ 'content-type': 'application/json' }, 'x'.repeat(1200), 'alarms:7');
    expect(headers).toEqual({ 'content-type': 'application/json', 'tmf688-dlq-reason': 'x'.repeat(1000), 'tmf688-dlq-source': 'alarms:7' });
  });
});

describe('redaction of broker URLs and secrets', () => {
  it.each([
    ['amqp://hub:s3cret@rabbit:5672/vh', 'amqp://hub:***@rabbit:5672/vh', ['s3cret']],
    ['nats://token-abc@n1:4222,nats://u:p%40ss@n2:4222', 'nats://***@n1:4222,nats://u:***@n2:4222', ['token-abc', 'p@ss']],
    ['mqtt://broker:1883', 'mqtt://broker:1883', []],
    ['mqtt://user:@broker', 'mqtt://user:***@broker', []],
    ['127.0.0.1:9092,127.0.0.1:9093', '127.0.0.1:9092,127.0.0.1:9093', []],
  ])('should show %s as %s', (url, shown, secrets) => {
    expect(redactUrl(url)).toBe(shown);
    expect(urlSecrets(url)).toEqual(secrets);
  });

  it('should remove secrets, raw and URL-encoded, from a message', () => {
    expect(redactSecrets('connect amqp://hub:p%40ss@x failed (p@ss)', ['p@ss', undefined, ''])).toBe('connect amqp://hub:***@x failed (***)');
  });
});

describe('producer counts and readiness', () => {
  it('should count acknowledgements and failures, a failure marking the producer not connected', () => {
    const counts = new ProducerCounts();
    expect(counts.snapshot).toEqual({ connected: false, acknowledged: 0, failed: 0 });
    counts.count({}, 3);
    expect(counts.snapshot).toEqual({ connected: true, acknowledged: 3, failed: 0 });
    counts.count({ error: 'NATS: timeout' });
    expect(counts.snapshot).toEqual({ connected: false, acknowledged: 3, failed: 1 });
  });

  it.each([
    [true, 'connected'],
    [false, 'not connected'],
  ])('should report a producer connected=%s as %s, with the server, source state and lag', (connected, shown) => {
    const sources = { consumed: 1, stored: 1, duplicates: 0, deadLettered: 0, state: 'running' as const, lag: { alarms: 3 } };
    expect(bridgeReadiness({ server: 'nats://u:***@n1:4222', producer: { connected, acknowledged: 0, failed: 0 }, sources })).toEqual({
      server: 'nats://u:***@n1:4222',
      producer: shown,
      sources: 'running',
      lag: { alarms: 3 },
    });
  });

  it.each<[string, () => Promise<string>, number, object]>([
    ['an answer in time', async () => 'stored in S seq 4', 1000, { response: 'stored in S seq 4' }],
    ['a broker error', async () => Promise.reject(new Error('no stream')), 1000, { error: 'NATS: no stream' }],
    ['no answer in time', () => new Promise<string>(() => undefined), 20, { error: 'NATS: no acknowledgement within 20 ms' }],
  ])('should turn %s into the attempt result', async (_case, work, timeoutMs, expected) => {
    const result = await acknowledgement('NATS', timeoutMs, work);
    expect(result).toMatchObject(expected);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('LazyConnection', () => {
  it('should open at first use, keep what opened, open again after a failure or forget(), and ignore forgetting an old one', async () => {
    const outcomes = [new Error('refused'), 'c1', 'c2'];
    let opened = 0;
    const lazy = new LazyConnection(async () => {
      opened++;
      const next = outcomes.shift()!;
      if (next instanceof Error) throw next;
      return next;
    });
    expect(lazy.held).toBe(false);
    await expect(lazy.get()).rejects.toThrow('refused');
    expect(lazy.held).toBe(false);
    const first = lazy.get();
    await expect(first).resolves.toBe('c1');
    await expect(lazy.get()).resolves.toBe('c1');
    expect(opened).toBe(2);
    expect(lazy.forget(Promise.resolve('other'))).toBeUndefined();
    await expect(lazy.get()).resolves.toBe('c1');
    expect(lazy.forget(first)).toBe(first);
    await expect(lazy.get()).resolves.toBe('c2');
    expect(opened).toBe(3);
  });
});
