import type { Config } from './config-types';

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
  /** The configuration key of that variable. */
  readonly configKey: keyof Config;
  /** What the broker calls the thing a callback or source names: topic, subject, queue. */
  readonly destination: string;
  /** What a callback names (`<subject>`, `<exchange>/<routingKey>`), for the contract's descriptions. */
  readonly callbackShape: string;
}

export const BROKERS: readonly BrokerKind[] = [
  { key: 'kafka', name: 'Kafka', variable: 'HUB_KAFKA_BROKERS', configKey: 'kafkaBrokers', destination: 'topic', callbackShape: '<topic>' },
  { key: 'nats', name: 'NATS', variable: 'HUB_NATS_URL', configKey: 'natsUrl', destination: 'subject', callbackShape: '<subject>' },
  { key: 'amqp', name: 'RabbitMQ', variable: 'HUB_AMQP_URL', configKey: 'amqpUrl', destination: 'queue', callbackShape: '<exchange>/<routingKey> or amqp:/<queue>' },
  { key: 'mqtt', name: 'MQTT', variable: 'HUB_MQTT_URL', configKey: 'mqttUrl', destination: 'topic filter', callbackShape: '<topic>' },
];

export function brokerKind(key: string): BrokerKind | undefined {
  return BROKERS.find((broker) => broker.key === key);
}

/** Whether the configuration turns the broker's bridge on: its variable is set (a list, not empty). Pure. */
export function brokerConfigured(config: Partial<Config>, broker: BrokerKind): boolean {
  const value = config[broker.configKey];
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '';
}
