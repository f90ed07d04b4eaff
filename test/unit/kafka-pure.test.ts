import { decideRetry } from '../../src/delivery/retry-policy';
import { recordKey } from '../../src/delivery/record-transport';
import { kafkaRecordHeaders } from '../../src/kafka/record-headers';
import { readTopicSource, type EventSources } from '../../src/hub/event-source';
import { describeKafkaOptions, kafkaClientOptions } from '../../src/kafka/kafka-options';
import { kafkaTopicRefusal } from '../../src/kafka/topic-name';

describe('kafkaTopicRefusal (Kafka topic name rules)', () => {
  it.each([['orders'], ['network.alarms'], ['a_b-c.D9'], ['x'.repeat(249)], ['...'], ['.hidden']])('should accept %s', (name) => {
    expect(kafkaTopicRefusal(name)).toBeUndefined();
  });
  it.each([
    ['', /empty/],
    ['.', /cannot be a Kafka topic name/],
    ['..', /cannot be a Kafka topic name/],
    ['x'.repeat(250), /at most 249 characters, not 250/],
    ['has space', /not a valid Kafka topic name/],
    ['a/b', /not a valid Kafka topic name/],
    ['ordres:eu', /not a valid Kafka topic name/],
    ['café', /not a valid Kafka topic name/],
  ])('should refuse %j', (name, reason) => {
    expect(kafkaTopicRefusal(name)).toMatch(reason);
  });
});

describe('record key and headers of a kafka: delivery', () => {
  it.each([
    [{ eventId: 'e-1' }, 'e-1'],
    [{ eventId: 'e-1', orderingKey: 'PO-7' }, 'PO-7'],
    [{ eventId: 'e-1', orderingKey: '' }, ''],
  ])('should key %j by %j', (delivery, key) => {
    expect(recordKey(delivery)).toBe(key);
  });

  it('should keep the webhook headers, turn ce- into ce_, and drop what only HTTP means', () => {
    expect(
      kafkaRecordHeaders({
        'content-type': 'application/json',
        'user-agent': 'tmf688-hub',
        'webhook-id': 'd-1',
        'webhook-timestamp': '1700000000',
        'webhook-attempt': '2',
        'webhook-signature': 'v1,abc',
        'ce-specversion': '1.0',
        'ce-id': 'd-1',
        'ce-source': 'http://hub/tmf-api/event/v4/topic/t',
        'ce-type': 'OrderCreateEvent',
        'ce-time': '2026-01-01T00:00:00.000Z',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    ).toEqual({
      'content-type': 'application/json',
      'webhook-id': 'd-1',
      'webhook-timestamp': '1700000000',
      'webhook-attempt': '2',
      'webhook-signature': 'v1,abc',
      ce_specversion: '1.0',
      ce_id: 'd-1',
      ce_source: 'http://hub/tmf-api/event/v4/topic/t',
      ce_type: 'OrderCreateEvent',
      ce_time: '2026-01-01T00:00:00.000Z',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it('should count a Kafka acknowledgement as delivered, and no acknowledgement as a failure to retry', () => {
    const base = { failures: 1, schedule: [5000], retryAfterCapMs: 1000, now: 0, random: 0.5 };
    expect(decideRetry({ ...base, acknowledged: true })).toEqual({ kind: 'delivered' });
    expect(decideRetry({ ...base })).toEqual({ kind: 'retry', delayMs: 5000 });
  });
});

describe("a topic's source attribute", () => {
  const sources: EventSources = new Map([['kafka', { topicRefusal: (name: string) => (name === 'bad name' ? 'not a valid Kafka topic name' : undefined), changed: () => undefined }]]);

  it.each<[unknown, unknown]>([
    [{ kafka: 'network.alarms' }, { kafka: 'network.alarms', format: 'tmf' }],
    [{ kafka: 'network.alarms', format: 'cloudevents' }, { kafka: 'network.alarms', format: 'cloudevents' }],
    ['network.alarms', expect.stringMatching(/^source must be an object/)],
    [{ format: 'tmf' }, expect.stringMatching(/^source must name the broker it reads from, as "kafka"/)],
    [{ kafka: 42 }, 'source.kafka must be the name of a Kafka topic'],
    [{ kafka: 'a', topic: 'b' }, 'source names one broker and a format; "topic" is not a source attribute'],
    [{ pulsar: 'a' }, expect.stringMatching(/^source must name the broker it reads from, as "kafka", "nats", "amqp" or "mqtt"/)],
    [{ nats: 'a' }, 'NATS is not configured on this hub (HUB_NATS_URL): a topic cannot have a source from NATS'],
    [{ kafka: 'bad name' }, 'source.kafka: not a valid Kafka topic name'],
    [{ kafka: 'a', format: 'avro' }, 'source.format must be "tmf" or "cloudevents", not "avro"'],
  ])('should read %j', (value, expected) => {
    expect(readTopicSource(value, sources)).toEqual(expected);
  });

  it('should refuse any source when Kafka is not configured', () => {
    expect(readTopicSource({ kafka: 'network.alarms' }, new Map())).toMatch(/^Kafka is not configured on this hub \(HUB_KAFKA_BROKERS\)/);
  });
});

describe('kafka client options from the configuration', () => {
  const base = { kafkaBrokers: ['b1:9092', 'b2:9092'], kafkaClientId: 'hub-1', kafkaTls: false };
  const noFile = () => {
    throw new Error('no file should be read');
  };

  it.each<[string, Record<string, unknown>, unknown]>([
    ['plaintext', {}, { clientId: 'hub-1', brokers: ['b1:9092', 'b2:9092'] }],
    ['TLS with the system CAs', { kafkaTls: true }, { clientId: 'hub-1', brokers: ['b1:9092', 'b2:9092'], ssl: true }],
    [
      'SASL SCRAM',
      { kafkaSaslMechanism: 'scram-sha-256', kafkaSaslUsername: 'hub', kafkaSaslPassword: 'pw' },
      { clientId: 'hub-1', brokers: ['b1:9092', 'b2:9092'], sasl: { mechanism: 'scram-sha-256', username: 'hub', password: 'pw' } },
    ],
  ])('should build %s', (_case, extra, expected) => {
    expect(kafkaClientOptions({ ...base, ...extra }, noFile)).toEqual(expected);
  });

  it('should read the CA file for TLS', () => {
    const options = kafkaClientOptions({ ...base, kafkaTls: true, kafkaTlsCaFile: '/etc/ca.pem' }, (path) => `PEM of ${path}`);
    expect(options.ssl).toEqual({ ca: ['PEM of /etc/ca.pem'] });
  });

  it('should never describe the SASL password', () => {
    const options = kafkaClientOptions({ ...base, kafkaSaslMechanism: 'plain', kafkaSaslUsername: 'hub', kafkaSaslPassword: 'very-secret-pw' }, noFile);
    const described = describeKafkaOptions(options);
    expect(JSON.stringify(described)).not.toContain('very-secret-pw');
    expect(described).toEqual({ clientId: 'hub-1', brokers: ['b1:9092', 'b2:9092'], tls: false, sasl: 'plain', username: 'hub' });
  });
});
