import { AckPolicy, DeliverPolicy, headers as natsHeaders, type ConsumerMessages, type JsMsg } from 'nats';
import { derivedEventId } from '../bridge/derived-event-id';
import { SourceReader, type SourceBinding, type SourceDeps } from '../bridge/source-reader';
import { cloudEventAttributes } from '../bridge/source-record';
import type { NatsLink } from './nats-connection';
import { consumerNameFor } from './nats-names';
import type { StreamFinder } from './nats-streams';

/** Unacknowledged records a consumer may hold: a crash replays at most these (as duplicates). */
const MAX_ACK_PENDING = 1000;
/**
 * How long a record read but not acknowledged waits before JetStream delivers it again: what a
 * crashed process had pulled comes back this soon to the others (or to it, restarted).
 */
const ACK_WAIT_NS = 15_000_000_000;
/** Records pulled at once: stored one by one well within ACK_WAIT even on a slow store. */
const PULL_BATCH = 64;
/** How long a record whose store failed (transient) waits before it is read again. */
const RETRY_MS = 1000;

interface Loop {
  messages: ConsumerMessages;
  done: Promise<void>;
}

/** The message's headers, one value each; Nats-* headers (the server's and the publisher's controls) left out. */
function plainHeaders(msg: JsMsg): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of msg.headers?.keys() ?? []) if (!/^nats-/i.test(name)) headers[name] = msg.headers!.get(name);
  return headers;
}

/**
 * Reads the NATS subjects that topics name as their `source`: a durable JetStream pull consumer per
 * topic (`<HUB_NATS_CONSUMER>-<topicId>`, explicit acks, from the stream's first record), which hub
 * processes with the same prefix share. A record is acknowledged only once its event is stored (or
 * known stored), so a crash replays it as a duplicate. A refused record is published to
 * `<subject>.dlq` (a stream captures it) with the reason, then acknowledged.
 */
export class NatsSources {
  readonly reader: SourceReader;
  private loops: Loop[] = [];
  private closing = false;

  constructor(
    private readonly link: NatsLink,
    private readonly streams: StreamFinder,
    private readonly prefix: string,
    private readonly deps: SourceDeps,
  ) {
    this.reader = new SourceReader('nats', deps, { follow: (bindings) => this.follow(bindings), close: () => this.close() }, (b) => `${b.topicId}\n${b.name}`);
  }

  private async close(): Promise<void> {
    this.closing = true;
    const loops = this.loops.splice(0);
    for (const loop of loops) loop.messages.stop();
    await Promise.all(loops.map((loop) => loop.done));
    this.closing = false;
  }

  private async follow(bindings: readonly SourceBinding[]): Promise<void> {
    await this.close();
    const { js, jsm } = await this.link.jetStream().catch((err) => Promise.reject(new Error(this.link.describe(err))));
    for (const binding of bindings) {
      const stream = await this.streams.capturing(binding.name);
      await this.streams.capturing(`${binding.name}.dlq`);
      const durable = consumerNameFor(this.prefix, binding.topicId);
      const exists = await jsm.consumers.info(stream, durable).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: binding.name,
          ack_wait: ACK_WAIT_NS,
          max_ack_pending: MAX_ACK_PENDING,
        });
      }
      const consumer = await js.consumers.get(stream, durable);
      // Short pull requests: those of a process that died stop taking records within seconds.
      const messages = await consumer.consume({ max_messages: PULL_BATCH, expires: 5000 });
      this.loops.push({ messages, done: this.drain(binding, messages) });
    }
  }

  private async drain(binding: SourceBinding, messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) {
        try {
          await this.handle(binding, msg);
          msg.ack();
        } catch (err) {
          // The store is away: the record is read again after a pause, not dropped.
          msg.nak(RETRY_MS);
          this.deps.logger.warn('nats sources: could not store a record; it is read again', { subject: binding.name, error: this.link.describe(err) });
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
        this.reader.setLag(binding.name, msg.info.pending, binding.topicId);
      }
    } catch (err) {
      this.reader.crashed(this.link.describe(err));
      return;
    }
    if (!this.closing) this.reader.crashed(`the consumer of ${binding.name} stopped`);
  }

  private async handle(binding: SourceBinding, msg: JsMsg): Promise<void> {
    const headers = plainHeaders(msg);
    const position = String(msg.info.streamSequence);
    await this.reader.read(
      [binding],
      {
        value: Buffer.from(msg.data),
        headers,
        attributes: cloudEventAttributes(headers, ['ce-']),
        derivedEventId: derivedEventId('nats', binding.name, position),
        where: `${msg.subject}:${msg.info.stream}:${position}`,
      },
      async (dlqHeaders) => {
        const { js } = await this.link.jetStream();
        const h = natsHeaders();
        for (const [name, value] of Object.entries(dlqHeaders)) h.set(name, value);
        // A replayed dead letter is a duplicate the stream drops.
        await js.publish(`${binding.name}.dlq`, msg.data, { headers: h, msgID: `dlq:${msg.info.stream}:${position}:${binding.topicId}` });
      },
    );
  }
}
