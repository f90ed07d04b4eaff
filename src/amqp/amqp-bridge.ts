import { readFileSync } from 'node:fs';
import { assembleBridge, type Bridge } from '../bridge/bridge';
import { redactUrl, urlSecrets } from '../bridge/redact';
import type { SourceDeps } from '../bridge/source-reader';
import type { BrokerConfig } from '../config/broker-config';
import type { Logger } from '../logger';
import { AmqpLink } from './amqp-link';
import { amqpDestinationRefusal, amqpQueueRefusal, amqpRecordHeaders } from './amqp-names';
import { amqpClientOptions, describeAmqpOptions } from './amqp-options';
import { AmqpProducer } from './amqp-producer';
import { AmqpSources } from './amqp-sources';

export type AmqpBridgeConfig = Pick<BrokerConfig, 'amqpUrl' | 'amqpTls' | 'amqpTlsCaFile' | 'amqpUsername' | 'amqpPassword'>;

/**
 * The RabbitMQ (AMQP 0-9-1) adapter: the only code that imports amqplib, loaded by the composition
 * root only when HUB_AMQP_URL is set. `amqp:<exchange>/<routingKey>` and `amqp:/<queue>` callbacks
 * are confirmed persistent publishes; topic sources are queues read with manual acks.
 */
export function createAmqpBridge(config: AmqpBridgeConfig, logger: Logger, deps: Omit<SourceDeps, 'logger'>): Bridge {
  const options = amqpClientOptions(config, (path) => readFileSync(path, 'utf8'));
  logger.info('amqp bridge on', describeAmqpOptions(options));
  const link = new AmqpLink(options, logger, [config.amqpPassword, ...urlSecrets(config.amqpUrl ?? '')]);
  const producer = new AmqpProducer(link);
  const sources = new AmqpSources(link, producer, { ...deps, logger });
  return assembleBridge({
    key: 'amqp',
    server: redactUrl(options.url),
    target: { scheme: 'amqp', destinationRefusal: amqpDestinationRefusal, recordHeaders: amqpRecordHeaders, send: (record) => producer.send(record) },
    topicRefusal: amqpQueueRefusal,
    reader: sources.reader,
    producer: () => ({ ...producer.counts.snapshot, connected: link.connected }),
    close: () => link.close(),
  });
}
