import type { IPublishPacket, MqttClient } from 'mqtt';
import { contentPosition, derivedEventId } from '../bridge/derived-event-id';
import { SourceReader, type SourceBinding, type SourceDeps } from '../bridge/source-reader';
import { cloudEventAttributes } from '../bridge/source-record';
import type { MqttLink } from './mqtt-client';
import { deadLetterTopic, isDeadLetterTopic, mqttTopicMatches } from './mqtt-names';
import type { MqttProducer } from './mqtt-producer';

/** How long a record whose store failed (transient) waits before it is stored again. */
const RETRY_MS = 1000;

/** A message's user properties and content type, as strings (a property given twice keeps its last value). */
function textHeaders(packet: IPublishPacket): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(packet.properties?.userProperties ?? {})) headers[name] = String(Array.isArray(value) ? value.at(-1) : value);
  if (packet.properties?.contentType) headers['content-type'] = packet.properties.contentType;
  return headers;
}

/**
 * Reads the MQTT topic filters that topics name as their `source`, at QoS 1, in a persistent
 * session (HUB_MQTT_CLIENT_ID, clean start off, kept a week): what arrives while the hub is away
 * waits in the session. Subscriptions are shared ($share/HUB_MQTT_GROUP/<filter>) so that hub
 * processes of one group split the records. A record is acknowledged (PUBACK) only once its event
 * is stored, one at a time in arrival order; a crash leaves it unacknowledged, and the broker sends
 * it again when the session resumes. A refused record is published to `<topic>/dlq`; topics that
 * end in /dlq are never read.
 */
export class MqttSources {
  readonly reader: SourceReader;
  private subscribed = new Set<string>();
  private stopping = false;

  constructor(
    private readonly link: MqttLink,
    private readonly producer: MqttProducer,
    private readonly group: string,
    private readonly deps: SourceDeps,
  ) {
    this.reader = new SourceReader('mqtt', deps, { follow: (bindings) => this.follow(bindings), close: (final) => this.close(final) });
  }

  private shared = (filter: string) => `$share/${this.group}/${filter}`;

  private async close(final: boolean): Promise<void> {
    this.stopping = final;
    // No topic reads the filters any more: the session stops collecting them. A stopping hub keeps its session.
    if (!final && this.subscribed.size && this.link.connected) {
      const client = await this.link.client();
      await client.unsubscribeAsync([...this.subscribed].map(this.shared)).catch(() => undefined);
    }
    this.subscribed.clear();
    await this.link.close();
  }

  private async follow(bindings: readonly SourceBinding[]): Promise<void> {
    this.stopping = false;
    const client = await this.link.client().catch((err) => Promise.reject(new Error(this.link.describe(err))));
    const wanted = new Set(bindings.map((binding) => binding.name));
    const gone = [...this.subscribed].filter((filter) => !wanted.has(filter));
    if (gone.length) await client.unsubscribeAsync(gone.map(this.shared));
    const added = [...wanted].filter((filter) => !this.subscribed.has(filter));
    if (added.length) {
      const granted = await client.subscribeAsync(Object.fromEntries(added.map((filter) => [this.shared(filter), { qos: 1 as const }])));
      const refused = granted.filter((grant) => grant.qos > 2);
      if (refused.length) throw new Error(`the broker refused the subscription to ${refused.map((grant) => grant.topic).join(', ')}`);
    }
    this.subscribed = wanted;
  }

  /** Takes over a new client's handling of incoming messages (MqttLink calls it before the client connects): the PUBACK waits for the store. */
  listen(client: MqttClient): void {
    client.handleMessage = (packet, callback) => {
      this.handle(packet as IPublishPacket).then(
        () => callback(),
        (err) => callback(err as Error),
      );
    };
  }

  private async handle(packet: IPublishPacket): Promise<void> {
    const topic = packet.topic;
    const bindings = this.reader.bindings.filter((binding) => mqttTopicMatches(binding.name, topic));
    if (isDeadLetterTopic(topic) || bindings.length === 0) return;
    const headers = textHeaders(packet);
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const position = contentPosition(payload);
    for (;;) {
      try {
        await this.reader.read(
          bindings,
          {
            value: payload,
            headers,
            attributes: cloudEventAttributes(headers, ['']),
            derivedEventId: derivedEventId('mqtt', topic, position),
            where: `${topic}:${position}`,
          },
          async (dlqHeaders) => void (await this.producer.publish({ topic: deadLetterTopic(topic), value: payload, headers: dlqHeaders })),
        );
        return;
      } catch (err) {
        // The store is away: the record waits (so do the ones behind it) and is stored again; a stopping hub leaves it unacknowledged.
        if (this.stopping) throw err;
        this.deps.logger.warn('mqtt sources: could not store a record; trying again', { topic, error: this.link.describe(err) });
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
