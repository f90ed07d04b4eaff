import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { assembleBridge, type Bridge } from '../bridge/bridge';
import { redactUrl, urlSecrets } from '../bridge/redact';
import type { SourceDeps } from '../bridge/source-reader';
import type { BrokerConfig } from '../config/broker-config';
import type { Logger } from '../logger';
import { MqttLink } from './mqtt-client';
import { mqttFilterRefusal, mqttRecordHeaders, mqttTopicRefusal } from './mqtt-names';
import { describeMqttOptions, mqttClientOptions } from './mqtt-options';
import { MqttProducer } from './mqtt-producer';
import { MqttSources } from './mqtt-sources';

export type MqttBridgeConfig = Pick<BrokerConfig, 'mqttUrl' | 'mqttClientId' | 'mqttGroup' | 'mqttTls' | 'mqttTlsCaFile' | 'mqttUsername' | 'mqttPassword'>;

/** How long the broker keeps the sources' session (and what arrives for it) while the hub is away: a week. */
const SESSION_EXPIRY_S = 7 * 24 * 3600;

/**
 * The MQTT 5 adapter: the only code that imports the MQTT client, loaded by the composition root
 * only when HUB_MQTT_URL is set. `mqtt:<topic>` callbacks are QoS 1 publishes of a clean client of
 * their own; topic sources are read in a persistent session (MqttSources).
 */
export function createMqttBridge(config: MqttBridgeConfig, logger: Logger, deps: Omit<SourceDeps, 'logger'>): Bridge {
  const options = mqttClientOptions(config, (path) => readFileSync(path, 'utf8'));
  logger.info('mqtt bridge on', { ...describeMqttOptions(options), clientId: config.mqttClientId, group: config.mqttGroup });
  const secrets = [options.password, ...urlSecrets(config.mqttUrl ?? '')];
  const publisher = new MqttLink(options, { clientId: `${config.mqttClientId}-out-${randomUUID().slice(0, 8)}`, clean: true }, logger, secrets, 'publisher');
  const session = new MqttLink(
    options,
    { clientId: config.mqttClientId, clean: false, properties: { sessionExpiryInterval: SESSION_EXPIRY_S }, resubscribe: true },
    logger,
    secrets,
    'sources',
    (client) => sources.listen(client),
  );
  const producer = new MqttProducer(publisher);
  const sources: MqttSources = new MqttSources(session, producer, config.mqttGroup, { ...deps, logger });
  return assembleBridge({
    key: 'mqtt',
    server: redactUrl(config.mqttUrl ?? ''),
    target: { scheme: 'mqtt', destinationRefusal: mqttTopicRefusal, recordHeaders: mqttRecordHeaders, send: (record) => producer.send(record) },
    topicRefusal: mqttFilterRefusal,
    reader: sources.reader,
    producer: () => ({ ...producer.counts.snapshot, connected: publisher.connected }),
    close: () => publisher.close(),
  });
}
