import type { Channel, ConsumeMessage } from 'amqplib';
import { contentPosition, derivedEventId } from '../bridge/derived-event-id';
import { SourceReader, type SourceBinding, type SourceDeps } from '../bridge/source-reader';
import { cloudEventAttributes } from '../bridge/source-record';
import type { AmqpLink } from './amqp-link';
import { inequivalentArgument } from './amqp-names';
import type { AmqpProducer } from './amqp-producer';

/** Unacknowledged records a consumer holds at once: a crash replays at most these (as duplicates). */
const PREFETCH = 100;
/** How long a record whose store failed (transient) waits before it is handed back to the queue. */
const RETRY_MS = 1000;
/** Arguments a queue declaration learns at most (RabbitMQ names one per refusal). */
const MAX_ARGUMENTS = 16;

/** The message's headers as strings (AMQP tables may hold numbers, booleans, nested tables). */
function textHeaders(msg: ConsumeMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(msg.properties.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers[name] = typeof value === 'object' && !Buffer.isBuffer(value) ? JSON.stringify(value) : String(value);
  }
  if (msg.properties.contentType) headers['content-type'] = String(msg.properties.contentType);
  return headers;
}

/**
 * Reads the RabbitMQ queues that topics name as their `source`, with manual acknowledgements: a
 * record is acked only once its event is stored (or known stored), so a crash hands it to another
 * consumer (or back) and the eventId uniqueness turns the replay into a duplicate. A refused record
 * is rejected to the queue's dead-letter exchange when the queue has one (as its argument), else
 * published to `<queue>.dlq` with the reason and acked. A missing queue is declared durable.
 */
export class AmqpSources {
  readonly reader: SourceReader;
  private channels: Channel[] = [];

  constructor(
    private readonly link: AmqpLink,
    private readonly producer: AmqpProducer,
    private readonly deps: SourceDeps,
  ) {
    this.reader = new SourceReader('amqp', deps, { follow: (bindings) => this.follow(bindings), close: () => this.close() });
    link.onClose = (why) => this.reader.crashed(why);
  }

  private async close(): Promise<void> {
    const channels = this.channels.splice(0);
    await Promise.all(channels.map((channel) => channel.close().catch(() => undefined)));
  }

  private async follow(bindings: readonly SourceBinding[]): Promise<void> {
    await this.close();
    try {
      for (const queue of new Set(bindings.map((binding) => binding.name))) await this.consume(queue);
    } catch (err) {
      throw new Error(this.link.describe(err));
    }
  }

  /**
   * The queue's arguments, learnt by declaring it (durable, none) and adding what each refusal names
   * (AMQP 0-9-1 cannot read them). A queue that does not exist is thereby declared, durable. A
   * dead-letter exchange set by a policy rather than an argument is not seen.
   */
  private async queueArguments(queue: string): Promise<Record<string, unknown>> {
    const args: Record<string, unknown> = {};
    let flags = { durable: true, autoDelete: false };
    for (let i = 0; i < MAX_ARGUMENTS; i++) {
      const refusal = await this.link.throwaway((channel) => channel.assertQueue(queue, { ...flags, arguments: args })).then(
        () => undefined,
        (err: Error) => err.message,
      );
      if (refusal === undefined) return args;
      const learnt = inequivalentArgument(refusal);
      if (!learnt) throw new Error(`cannot read the queue ${queue}: ${refusal}`);
      if (learnt.name === 'durable') flags = { ...flags, durable: learnt.value === true };
      else if (learnt.name === 'auto_delete') flags = { ...flags, autoDelete: learnt.value === true };
      else args[learnt.name] = learnt.value;
    }
    throw new Error(`cannot read the queue ${queue}: more than ${MAX_ARGUMENTS} arguments`);
  }

  private async consume(queue: string): Promise<void> {
    const args = await this.queueArguments(queue);
    const rejectToDlx = 'x-dead-letter-exchange' in args;
    const channel = await this.link.channel();
    this.channels.push(channel);
    await channel.prefetch(PREFETCH);
    const { messageCount } = await channel.checkQueue(queue);
    this.reader.setLag(queue, messageCount);
    // One record at a time, in the order RabbitMQ hands them over: acks follow the stores.
    let turn: Promise<void> = Promise.resolve();
    let handled = 0;
    await channel.consume(queue, (msg) => {
      if (!msg) {
        this.reader.crashed(`RabbitMQ cancelled the consumer of ${queue} (the queue was deleted?)`);
        return;
      }
      turn = turn.then(async () => {
        await this.handle(channel, queue, msg, rejectToDlx);
        if (++handled % PREFETCH === 0) this.reader.setLag(queue, (await channel.checkQueue(queue)).messageCount);
      }).catch((err) => this.deps.logger.warn('amqp sources: a record was not settled', { queue, error: this.link.describe(err) }));
    });
  }

  private async handle(channel: Channel, queue: string, msg: ConsumeMessage, rejectToDlx: boolean): Promise<void> {
    const headers = textHeaders(msg);
    const position = msg.properties.messageId ? String(msg.properties.messageId) : contentPosition(msg.content);
    let rejected = false;
    try {
      await this.reader.read(
        this.reader.reading(queue),
        {
          value: msg.content,
          headers,
          attributes: cloudEventAttributes(headers, ['cloudEvents_', 'cloudEvents:']),
          derivedEventId: derivedEventId('amqp', queue, position),
          where: `${queue}:${position}`,
        },
        async (dlqHeaders) => {
          if (rejectToDlx) {
            rejected = true;
            this.deps.logger.warn('amqp sources: a record was refused; rejected to the dead-letter exchange', { queue, reason: dlqHeaders['tmf688-dlq-reason'] });
          } else {
            await this.producer.publish({ topic: `/${queue}.dlq`, value: msg.content, headers: dlqHeaders }, `dlq:${queue}:${position}`);
          }
        },
      );
    } catch (err) {
      // The store is away: handed back to the queue after a pause, not dropped.
      this.deps.logger.warn('amqp sources: could not store a record; it is read again', { queue, error: this.link.describe(err) });
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      channel.nack(msg, false, true);
      return;
    }
    if (rejected) channel.nack(msg, false, false);
    else channel.ack(msg);
  }
}
