import type { BrokerConfig } from './broker-config';
import { brokerUrl } from './broker-url';
import type { ConfigTable, Defaulted, Optional } from './config-entry';
import { boolean, secretText, text } from './parsers';

/** The four rows every bridge has alike: TLS, its CA file, the user and the password (which wins over the URL's). */
function tlsAndCredentials<P extends 'nats' | 'amqp' | 'mqtt'>(prefix: P, name: string, tlsScheme: string) {
  const env = `HUB_${prefix.toUpperCase()}`;
  return {
    [`${prefix}Tls`]: { env: `${env}_TLS`, parser: boolean, fallback: false, help: `true connects to ${name} over TLS (${tlsScheme} URLs do too)` },
    [`${prefix}TlsCaFile`]: { env: `${env}_TLS_CA`, parser: text, unsetMeans: "(the system's)", help: `PEM file of the certificate authorities trusted for ${name}` },
    [`${prefix}Username`]: { env: `${env}_USERNAME`, parser: text, unsetMeans: '(from the URL)', help: `User name for ${name} (with ${env}_PASSWORD); overrides the URL's` },
    [`${prefix}Password`]: { env: `${env}_PASSWORD`, parser: secretText, unsetMeans: '(from the URL)', help: `Password for ${name}; never logged` },
  } as Record<`${P}Tls`, Defaulted<boolean>> & Record<`${P}TlsCaFile` | `${P}Username` | `${P}Password`, Optional<string>>;
}

/**
 * The rows of the NATS, RabbitMQ and MQTT bridges' variables, merged into CONFIG_TABLE (which checks
 * them: one row per key, parsers of the key's type, no default for an optional key).
 */
export const BROKER_CONFIG_ROWS = {
  natsUrl: {
    env: 'HUB_NATS_URL',
    parser: brokerUrl(['nats', 'tls'], { list: true }),
    unsetMeans: '(unset: no NATS)',
    help: 'NATS server URLs, comma-separated (nats://[user:password@]host:4222); set, the NATS JetStream bridge is on: `nats:<subject>` callbacks and topic `source`s',
  },
  natsConsumer: {
    env: 'HUB_NATS_CONSUMER',
    parser: text,
    fallback: 'tmf688-hub',
    help: "Prefix of the durable JetStream consumer each topic source gets (<prefix>-<topicId>); hub processes with the same prefix share a topic's records",
  },
  ...tlsAndCredentials('nats', 'NATS', 'tls://'),
  amqpUrl: {
    env: 'HUB_AMQP_URL',
    parser: brokerUrl(['amqp', 'amqps']),
    unsetMeans: '(unset: no RabbitMQ)',
    help: 'RabbitMQ (AMQP 0-9-1) URL, amqp://[user:password@]host:5672[/vhost]; set, the RabbitMQ bridge is on: `amqp:<exchange>/<routingKey>` and `amqp:/<queue>` callbacks and topic `source`s',
  },
  ...tlsAndCredentials('amqp', 'RabbitMQ', 'amqps://'),
  mqttUrl: {
    env: 'HUB_MQTT_URL',
    parser: brokerUrl(['mqtt', 'mqtts']),
    unsetMeans: '(unset: no MQTT)',
    help: 'MQTT 5 broker URL, mqtt://[user:password@]host:1883; set, the MQTT bridge is on: `mqtt:<topic>` callbacks and topic `source`s',
  },
  mqttClientId: {
    env: 'HUB_MQTT_CLIENT_ID',
    parser: text,
    fallback: 'tmf688-hub',
    help: "Client id of the topic sources' persistent MQTT session (one per hub process: give each process its own); <id>-out publishes",
  },
  mqttGroup: {
    env: 'HUB_MQTT_GROUP',
    parser: text,
    fallback: 'tmf688-hub',
    help: 'Shared subscription group of the topic sources ($share/<group>/<filter>): hub processes of one group share the records',
  },
  ...tlsAndCredentials('mqtt', 'the MQTT broker', 'mqtts://'),
} satisfies Pick<ConfigTable, keyof BrokerConfig>;

const CREDENTIALS = [
  ['natsPassword', 'natsUsername'],
  ['amqpPassword', 'amqpUsername'],
  ['mqttPassword', 'mqttUsername'],
] as const;

/**
 * Combinations of the bridges' variables that cannot work: a password without its user, and MQTT
 * with several hub processes (each needs a client id of its own, which one environment cannot give).
 * The refusal names the variable and what it needs; undefined when none. Pure.
 */
export function brokerConfigRefusal(config: BrokerConfig & { processes: number }): { variable: string; problem: string } | undefined {
  const rows = BROKER_CONFIG_ROWS;
  for (const [password, user] of CREDENTIALS) {
    if (config[password] && !config[user]) return { variable: rows[password].env, problem: `needs ${rows[user].env}` };
  }
  if (config.mqttUrl && config.processes > 1) {
    return {
      variable: rows.mqttUrl.env,
      problem: `cannot be used with HUB_PROCESSES above 1: each process needs an MQTT client id of its own (${rows.mqttClientId.env}); run the processes apart, each with its own id, in one ${rows.mqttGroup.env}`,
    };
  }
  return undefined;
}
