/**
 * The message brokers the hub can bridge to, whether or not this process has one configured: a
 * callback `<key>:<destination>` delivers to the broker, a topic `source` of `{"<key>": ...}` reads
 * from it. Known here, so that a hub without the broker refuses both with the variable to set,
 * rather than as an unknown scheme. Each bridge adds its row.
 */
export interface BrokerKind {
  /** The callback scheme (without the colon) and the `source` attribute naming the broker. */
  readonly key: string;
  /** The broker's name in messages. */
  readonly name: string;
  /** The variable that turns its bridge on. */
  readonly variable: string;
  /** What the broker calls the thing a callback or source names: topic, subject, queue. */
  readonly destination: string;
}

export const BROKERS: readonly BrokerKind[] = [{ key: 'kafka', name: 'Kafka', variable: 'HUB_KAFKA_BROKERS', destination: 'topic' }];

export function brokerKind(key: string): BrokerKind | undefined {
  return BROKERS.find((broker) => broker.key === key);
}
