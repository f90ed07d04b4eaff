import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type LogEntry, type Producer } from 'kafkajs';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { describeKafkaOptions, kafkaClientOptions } from './kafka-options';
import { KafkaRecordProducer, type ProducedRecord, type ProduceResult } from './kafka-producer';
import { KafkaSources, type SourceDeps } from './kafka-sources';
import { kafkaRecordHeaders } from './record-headers';
import { kafkaTopicRefusal } from './topic-name';

/** What /ready, /metrics and the console read of the bridge. */
export interface KafkaBridgeStatus {
  producer: { connected: boolean; acknowledged: number; failed: number; batches: number };
  sources: { state: string; consumed: number; stored: number; duplicates: number; deadLettered: number; lag: Record<string, number> };
}

export interface KafkaBridge {
  /** Deliveries to `kafka:<topic>` callbacks (structurally the delivery layer's RecordTarget). */
  target: {
    scheme: 'kafka';
    destinationRefusal(name: string): string | undefined;
    recordHeaders(httpHeaders: Record<string, string>): Record<string, string>;
    send(record: ProducedRecord): Promise<ProduceResult>;
  };
  /** The topic service's event-source port. */
  sources: { topicRefusal(name: string): string | undefined; changed(): void };
  status(): KafkaBridgeStatus;
  /** Starts reading the topic sources (processes that run the worker). */
  start(): void;
  /** Reads which topics have a Kafka source again: those created through other processes (run periodically). */
  refreshSources(): Promise<void>;
  stop(): Promise<void>;
}

export type KafkaBridgeConfig = Pick<
  Config,
  'kafkaBrokers' | 'kafkaClientId' | 'kafkaGroup' | 'kafkaTls' | 'kafkaTlsCaFile' | 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword'
>;

/**
 * The Kafka adapter: the only code that imports kafkajs, loaded by the composition root only when
 * HUB_KAFKA_BROKERS is set. It implements the domain's ports (record transport, event sources)
 * structurally, without importing them.
 */
export function createKafkaBridge(config: KafkaBridgeConfig, logger: Logger, deps: Omit<SourceDeps, 'logger'>): KafkaBridge {
  const options = kafkaClientOptions(config, (path) => readFileSync(path, 'utf8'));
  logger.info('kafka bridge on', describeKafkaOptions(options));
  const kafka = new Kafka({
    ...options,
    connectionTimeout: 3000,
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      // kafkajs logs its own retries at ERROR; they are warnings for the hub, which retries on its schedule.
      logger.warn(`kafka: ${message}`, { namespace: entry.namespace, error: extra.error });
    },
  });
  const producer = new KafkaRecordProducer(kafka, logger);
  let dlqProducer: Promise<Producer> | undefined;
  const deadLetter = async (topic: string, message: { key: Buffer | null; value: Buffer | null; headers: Record<string, string> }) => {
    dlqProducer ??= (async () => {
      const p = kafka.producer({ allowAutoTopicCreation: true });
      await p.connect();
      return p;
    })();
    dlqProducer.catch(() => (dlqProducer = undefined));
    await (await dlqProducer).send({ topic, acks: -1, messages: [message] });
  };
  const sources = new KafkaSources(kafka, { groupId: config.kafkaGroup }, { ...deps, logger }, deadLetter);
  let started = false;
  return {
    target: { scheme: 'kafka', destinationRefusal: kafkaTopicRefusal, recordHeaders: kafkaRecordHeaders, send: (record) => producer.send(record) },
    sources: { topicRefusal: kafkaTopicRefusal, changed: () => void (started && sources.refresh()) },
    status: () => ({
      producer: { connected: producer.stats.connected, ...producer.stats.records, batches: producer.stats.batches },
      sources: { ...sources.stats, lag: sources.lag() },
    }),
    start() {
      started = true;
      void sources.refresh();
    },
    refreshSources: () => (started ? sources.refresh() : Promise.resolve()),
    async stop() {
      await sources.stop();
      await producer.close();
      const dlq = dlqProducer;
      dlqProducer = undefined;
      await dlq?.then((p) => p.disconnect()).catch(() => undefined);
    },
  };
}
