import { assembleBridge, type Bridge } from '../bridge/bridge';
import { redactUrl, urlSecrets } from '../bridge/redact';
import type { SourceDeps } from '../bridge/source-reader';
import type { BrokerConfig } from '../config/broker-config';
import type { Logger } from '../logger';
import { NatsLink } from './nats-connection';
import { natsRecordHeaders, natsSubjectRefusal } from './nats-names';
import { describeNatsOptions, natsClientOptions } from './nats-options';
import { NatsProducer } from './nats-producer';
import { NatsSources } from './nats-sources';
import { StreamFinder } from './nats-streams';

export type NatsBridgeConfig = Pick<BrokerConfig, 'natsUrl' | 'natsConsumer' | 'natsTls' | 'natsTlsCaFile' | 'natsUsername' | 'natsPassword'>;

/**
 * The NATS JetStream adapter: the only code that imports the NATS client, loaded by the
 * composition root only when HUB_NATS_URL is set. `nats:<subject>` callbacks are JetStream
 * publishes; topic sources are durable consumers (NatsSources).
 */
export function createNatsBridge(config: NatsBridgeConfig, logger: Logger, deps: Omit<SourceDeps, 'logger'>): Bridge {
  const options = natsClientOptions(config);
  logger.info('nats bridge on', describeNatsOptions(options));
  const link = new NatsLink(options, logger, [config.natsPassword, options.pass, options.token, ...urlSecrets(config.natsUrl ?? '')]);
  const streams = new StreamFinder(async () => (await link.jetStream()).jsm);
  const producer = new NatsProducer(link, streams);
  const sources = new NatsSources(link, streams, config.natsConsumer, { ...deps, logger });
  // Streams may be gone after a restart of a server without storage: found (or created) again.
  link.onReconnect = () => streams.forget();
  return assembleBridge({
    key: 'nats',
    server: redactUrl(config.natsUrl ?? ''),
    target: { scheme: 'nats', destinationRefusal: natsSubjectRefusal, recordHeaders: natsRecordHeaders, send: (record) => producer.send(record) },
    topicRefusal: natsSubjectRefusal,
    reader: sources.reader,
    producer: () => ({ ...producer.counts.snapshot, connected: link.connected }),
    close: () => link.close(),
  });
}
