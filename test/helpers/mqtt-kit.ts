import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { connectAsync, type IPublishPacket, type MqttClient } from 'mqtt';
import { PROJECT_ROOT } from '../../src/paths';
import type { BrokerKit, Destination, Received } from './broker-kit';
import { pollUntil } from './poll';

/** A message as received: its payload, user properties and content type. */
export function mqttReceived(packet: IPublishPacket): Received {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(packet.properties?.userProperties ?? {})) headers[name] = String(value);
  if (packet.properties?.contentType) headers['content-type'] = packet.properties.contentType;
  return { value: packet.payload.toString(), headers };
}

/**
 * A subscriber of the test's own with a persistent session (clean start off), subscribed at QoS 1
 * before anything is published: what arrives while it is away (a broker restart) waits in its
 * session. It collects every message of `topic` until closed.
 */
export async function subscriber(address: string, topic: string): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await connectAsync(address, { protocolVersion: 5, clientId: `test-${randomUUID().slice(0, 8)}`, clean: false, properties: { sessionExpiryInterval: 3600 }, reconnectPeriod: 500 });
  const received: Received[] = [];
  client.on('message', (_topic, _payload, packet) => received.push(mqttReceived(packet)));
  await client.subscribeAsync(topic, { qos: 1 });
  return { client, received };
}

async function collected(received: Received[], enough: (r: Received[]) => boolean, timeoutMs: number): Promise<Received[]> {
  await pollUntil(async () => (enough(received) ? true : undefined), timeoutMs, 'the messages', 100).catch(() => undefined);
  return [...received];
}

/** Dead-letter subscribers, made before the records are produced (MQTT keeps nothing for a subscriber that comes later). */
const deadLetters = new Map<string, Promise<{ client: MqttClient; received: Received[] }>>();

export const mqttKit: BrokerKit = {
  key: 'mqtt',
  variable: 'HUB_TEST_MQTT_URL',
  script: join(PROJECT_ROOT, 'test', 'mosquitto', 'start-mosquitto.sh'),
  scriptPrefix: 'MOSQUITTO',
  config: (address) => ({ mqttUrl: address, mqttClientId: `hub-${randomUUID().slice(0, 8)}`, mqttGroup: `g-${randomUUID().slice(0, 8)}` }),
  env: (address) => ({ HUB_MQTT_URL: address, HUB_MQTT_CLIENT_ID: `hub-${randomUUID().slice(0, 8)}`, HUB_MQTT_GROUP: `g-${randomUUID().slice(0, 8)}` }),
  unique: (prefix) => `${prefix}/${randomUUID().slice(0, 8)}`,
  prepareSource: async (address, name) => void deadLetters.set(name, subscriber(address, `${name}/dlq`)),
  produce: async (address, name, records) => {
    const client = await connectAsync(address, { protocolVersion: 5, clientId: `producer-${randomUUID().slice(0, 8)}` });
    try {
      for (let i = 0; i < records.length; i += 100) {
        await Promise.all(
          records.slice(i, i + 100).map(({ value, headers }) => client.publishAsync(name, value, { qos: 1, ...(headers ? { properties: { userProperties: headers } } : {}) })),
        );
      }
    } finally {
      await client.endAsync();
    }
  },
  readDeadLetters: async (_address, name, enough, timeoutMs) => {
    const dlq = await deadLetters.get(name);
    if (!dlq) throw new Error(`prepareSource(${name}) was not called: its dead letters were not subscribed to`);
    const records = await collected(dlq.received, enough, timeoutMs);
    await dlq.client.endAsync();
    return records;
  },
  destination: async (address, name): Promise<Destination> => {
    const { client, received } = await subscriber(address, name);
    return { callback: `mqtt:${name}`, read: (enough, timeoutMs) => collected(received, enough, timeoutMs), close: () => client.endAsync() };
  },
  ceHeader: (attribute) => attribute,
  errorPrefix: /^MQTT: /,
  dedupes: false,
  tellsLag: false,
};
