import { acknowledgement, type OutgoingRecord, type RecordResult } from '../bridge/bridge-record';
import { ProducerCounts } from '../bridge/bridge-status';
import type { AmqpLink } from './amqp-link';
import { amqpDestination } from './amqp-names';

/**
 * Publishes the deliveries to `amqp:` callbacks on the confirm channel: a persistent message whose
 * message_id is the delivery id, mandatory (a message no queue takes is returned, and the attempt
 * fails rather than count as delivered), delivered once RabbitMQ confirmed it. The queue of an
 * `amqp:/<queue>` callback is declared (durable) when it does not exist, as Kafka creates a topic.
 */
export class AmqpProducer {
  readonly counts = new ProducerCounts();
  private readonly returned = new Set<string>();
  private readonly queues = new Map<string, Promise<void>>();

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
    if (destination.exchange === '') await this.queueExists(destination.routingKey);
    const channel = await this.link.confirmChannel();
    const { 'content-type': contentType, ...headers } = record.headers;
    const timestamp = Number(headers['webhook-timestamp']) || Math.floor(Date.now() / 1000);
    const where = destination.exchange === '' ? `queue ${destination.routingKey}` : `exchange ${destination.exchange} (routing key ${destination.routingKey})`;
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        destination.exchange,
        destination.routingKey,
        Buffer.isBuffer(record.value) ? record.value : Buffer.from(record.value),
        { persistent: true, mandatory: true, messageId, timestamp, contentType: contentType ?? 'application/json', appId: 'tmf688-hub', headers },
        (err: unknown) => (err ? reject(new Error(this.link.lastChannelError ?? `not confirmed: ${String((err as Error)?.message ?? err)}`)) : resolve()),
      );
    });
    if (messageId && this.returned.delete(messageId)) {
      // The queue may have been deleted since it was checked: checked again at the next attempt.
      this.queues.delete(destination.routingKey);
      throw new Error(`unroutable: no queue is bound to ${where}`);
    }
    return `confirmed by RabbitMQ: ${where}, persistent`;
  }

  /** Declares a callback's queue (durable) when it does not exist; its arguments, if it exists, are left as they are. */
  private queueExists(queue: string): Promise<void> {
    let known = this.queues.get(queue);
    if (!known) {
      known = this.link
        .throwaway((channel) => channel.checkQueue(queue))
        .then(
          () => undefined,
          () => this.link.throwaway(async (channel) => void (await channel.assertQueue(queue, { durable: true }))),
        );
      this.queues.set(queue, known);
      known.catch(() => this.queues.delete(queue));
    }
    return known;
  }
}
