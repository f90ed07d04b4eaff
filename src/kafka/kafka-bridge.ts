import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type LogEntry, type Producer } from 'kafkajs';
import { assembleBridge, type Bridge } from '../bridge/bridge';
import type { SourceDeps } from '../bridge/source-reader';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { describeKafkaOptions, kafkaClientOptions } from './kafka-options';
import { KafkaRecordProducer } from './kafka-producer';
import { KafkaSources, type DeadLetterRecord } from './kafka-sources';
import { kafkaRecordHeaders } from './record-headers';
import { kafkaTopicRefusal } from './topic-name';

export type KafkaBridgeConfig = Pick<
  Config,
  'kafkaBrokers' | 'kafkaClientId' | 'kafkaGroup' | 'kafkaTls' | 'kafkaTlsCaFile' | 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword'
>;

/**
 * The Kafka adapter: the only code that imports kafkajs, loaded by the composition root only when
 * HUB_KAFKA_BROKERS is set. It implements the domain's ports (record transport, event sources)
 * structurally, without importing them.
 */
export function createKafkaBridge(config: KafkaBridgeConfig, logger: Logger, deps: Omit<SourceDeps, 'logger'>): Bridge {
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
  const deadLetter = async (topic: string, message: DeadLetterRecord) => {
    dlqProducer ??= (async () => {
      const p = kafka.producer({ allowAutoTopicCreation: true });
      await p.connect();
      return p;
    })();
    dlqProducer.catch(() => (dlqProducer = undefined));
    await (await dlqProducer).send({ topic, acks: -1, messages: [message] });
  };
  const sources = new KafkaSources(kafka, { groupId: config.kafkaGroup }, { ...deps, logger }, deadLetter);
  return assembleBridge({
    key: 'kafka',
    server: options.brokers.join(','),
    target: { scheme: 'kafka', destinationRefusal: kafkaTopicRefusal, recordHeaders: kafkaRecordHeaders, send: (record) => producer.send(record) },
    topicRefusal: kafkaTopicRefusal,
    reader: sources.reader,
    producer: () => ({ connected: producer.stats.connected, ...producer.stats.records }),
    async close() {
      await producer.close();
      const dlq = dlqProducer;
      dlqProducer = undefined;
      await dlq?.then((p) => p.disconnect()).catch(() => undefined);
    },
  });
}
