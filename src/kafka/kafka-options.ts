import type { Config } from '../config';

/** The client settings the hub's configuration gives Kafka (a subset of kafkajs' KafkaConfig, typed here so this stays pure). */
export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  ssl?: boolean | { ca: string[] };
  sasl?:
    | { mechanism: 'plain'; username: string; password: string }
    | { mechanism: 'scram-sha-256'; username: string; password: string }
    | { mechanism: 'scram-sha-512'; username: string; password: string };
}

type KafkaConfig = Pick<
  Config,
  'kafkaBrokers' | 'kafkaClientId' | 'kafkaTls' | 'kafkaTlsCaFile' | 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword'
>;

/** The client options of a configuration with HUB_KAFKA_BROKERS set. `readFile` reads the CA file (TLS). */
export function kafkaClientOptions(config: KafkaConfig, readFile: (path: string) => string): KafkaClientOptions {
  const options: KafkaClientOptions = { clientId: config.kafkaClientId, brokers: config.kafkaBrokers ?? [] };
  if (config.kafkaTls) options.ssl = config.kafkaTlsCaFile ? { ca: [readFile(config.kafkaTlsCaFile)] } : true;
  if (config.kafkaSaslMechanism) {
    options.sasl = { mechanism: config.kafkaSaslMechanism, username: config.kafkaSaslUsername ?? '', password: config.kafkaSaslPassword ?? '' };
  }
  return options;
}

/** What may be logged of the options: never the SASL password. */
export function describeKafkaOptions(options: KafkaClientOptions): Record<string, unknown> {
  return {
    clientId: options.clientId,
    brokers: options.brokers,
    tls: options.ssl !== undefined && options.ssl !== false,
    ...(options.sasl ? { sasl: options.sasl.mechanism, username: options.sasl.username } : {}),
  };
}
