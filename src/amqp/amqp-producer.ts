import { acknowledgement, type OutgoingRecord, type RecordResult } from '../bridge/bridge-record';
import { ProducerCounts } from '../bridge/bridge-status';
import type { AmqpLink } from './amqp-link';
import { amqpDestination } from './amqp-names';

/** How many checked destinations a producer remembers; hubs come and go, so their destinations must not pile up. */
export const KNOWN_DESTINATIONS_MAX = 10_000;

/**
 * Publishes the deliveries to `amqp:` callbacks on the confirm channel: a persistent message whose
 * message_id is the delivery id, mandatory (a message no queue takes is returned, and the attempt
 * fails rather than count as delivered), delivered once RabbitMQ confirmed it. The queue of an
 * `amqp:/<queue>` callback is declared (durable) when it does not exist, as Kafka creates a topic.
 * The exchange of an `amqp:<exchange>/<key>` callback is checked on a channel of its own before the
 * first publish to it: RabbitMQ closes a channel that publishes to a missing exchange, and on the
 * shared confirm channel that would fail every other listener's publish in flight with it.
 * The checks it remembers are bounded (`KNOWN_DESTINATIONS_MAX`, the oldest forgotten first): a
 * forgotten destination is checked again at its next publish.
 */
export class AmqpProducer {
  readonly counts = new ProducerCounts();
  private readonly returned = new Set<string>();
  /** Destinations known to exist, or being checked, by `queue:<name>` and `exchange:<name>`. */
  private readonly known = new Map<string, Promise<void>>();

  constructor(private readonly link: AmqpLink) {
    link.onReturn = (messageId) => messageId && this.returned.add(messageId);
  }

  async send(record: OutgoingRecord): Promise<RecordResult> {
    const result = await acknowledgement('RabbitMQ', record.timeoutMs, () => this.publish(record), (err) => this.link.describe(err));
    this.counts.count(result);
    return result;
  }

  /**
   * Publishes a message to a destination (`<exchange>/<routingKey>`, `/<queue>`) and waits for the
   * confirm; content-type and webhook-timestamp become properties, `messageId` (by default the
   * webhook-id) the message_id.
   */
  async publish(record: { topic: string; value: string | Buffer; headers: Record<string, string> }, messageId = record.headers['webhook-id']): Promise<string> {
    const destination = amqpDestination(record.topic);
    if (typeof destination === 'string') throw new Error(destination);
    const { exchange, routingKey } = destination;
    const checked = exchange === '' ? `queue:${routingKey}` : `exchange:${exchange}`;
    await this.once(checked, () => (exchange === '' ? this.declareQueue(routingKey) : this.checkExchange(exchange)));
    const channel = await this.link.confirmChannel();
    const { 'content-type': contentType, ...headers } = record.headers;
    const timestamp = Number(headers['webhook-timestamp']) || Math.floor(Date.now() / 1000);
    const where = exchange === '' ? `queue ${routingKey}` : `exchange ${exchange} (routing key ${routingKey})`;
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        exchange,
        routingKey,
        Buffer.isBuffer(record.value) ? record.value : Buffer.from(record.value),
        { persistent: true, mandatory: true, messageId, timestamp, contentType: contentType ?? 'application/json', appId: 'tmf688-hub', headers },
        (err: unknown) => {
          if (!err) return resolve();
          // The exchange or queue may have been deleted since it was checked: checked again at the next attempt.
          this.known.delete(checked);
          if (messageId) this.returned.delete(messageId);
          reject(new Error(this.link.lastChannelError ?? `not confirmed: ${String((err as Error)?.message ?? err)}`));
        },
      );
    });
    if (messageId && this.returned.delete(messageId)) {
      this.known.delete(checked);
      throw new Error(`unroutable: no queue is bound to ${where}`);
    }
    return `confirmed by RabbitMQ: ${where}, persistent`;
  }

  /** Declares a callback's queue (durable) when it does not exist; its arguments, if it exists, are left as they are. */
  private declareQueue(queue: string): Promise<void> {
    return this.link
      .throwaway((channel) => channel.checkQueue(queue))
      .then(
        () => undefined,
        () => this.link.throwaway(async (channel) => void (await channel.assertQueue(queue, { durable: true }))),
      );
  }

  /** Checks that an exchange exists (a refusal closes the throwaway channel, not the confirm channel); never declares one. */
  private checkExchange(exchange: string): Promise<void> {
    return this.link.throwaway(async (channel) => void (await channel.checkExchange(exchange)));
  }

  /** Runs a check once while it holds; a check that failed runs again at the next publish. */
  private once(key: string, check: () => Promise<void>): Promise<void> {
    let known = this.known.get(key);
    if (!known) {
      known = check();
      this.known.set(key, known);
      if (this.known.size > KNOWN_DESTINATIONS_MAX) this.known.delete(this.known.keys().next().value!);
      const held = known;
      known.catch(() => this.known.get(key) === held && this.known.delete(key));
    }
    return known;
  }
}
