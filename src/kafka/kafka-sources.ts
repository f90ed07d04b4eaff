import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { derivedEventId } from '../bridge/derived-event-id';
import { SourceReader, type SourceBinding, type SourceDeps } from '../bridge/source-reader';
import { cloudEventAttributes } from '../bridge/source-record';

export type { SourceDeps } from '../bridge/source-reader';

const COMMIT_EVERY = 100;

/** A dead-lettered record as produced to `<topic>.dlq`. */
export type DeadLetterRecord = { key: Buffer | null; value: Buffer | null; headers: Record<string, string> };

/**
 * Reads the Kafka topics that topics name as their `source`, in one consumer group (HUB_KAFKA_GROUP):
 * hub processes of the same group share the partitions. Each record is published like a POST
 * (SourceReader), and its offset committed only once the event is stored (or known stored: a
 * duplicate eventId), so a crash replays records and the eventId uniqueness turns replays into
 * no-ops. A record that cannot be an event goes to `<topic>.dlq` with a header saying why, and
 * reading goes on. When the set of source topics changes, the consumer is rebuilt on the new set.
 */
export class KafkaSources {
  private consumer: Consumer | undefined;
  readonly reader: SourceReader;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { groupId: string },
    deps: SourceDeps,
    /** Produces a dead-lettered record. */
    private readonly deadLetter: (topic: string, message: DeadLetterRecord) => Promise<void>,
  ) {
    this.reader = new SourceReader('kafka', deps, { follow: (bindings) => this.follow(bindings), close: () => this.close() });
  }

  private async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect().catch(() => undefined);
  }

  private async follow(bindings: readonly SourceBinding[]): Promise<void> {
    await this.close();
    const topics = [...new Set(bindings.map((binding) => binding.name))];
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // Subscribing to a topic that does not exist yet can hang: create it (one partition, the broker's defaults) first.
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    // A 10 s session: a crashed process's partitions go to the others within seconds, not Kafka's 45 s.
    const consumer = this.kafka.consumer({ groupId: this.options.groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 3000 });
    consumer.on(consumer.events.CRASH, (event) => this.reader.crashed(String(event.payload.error)));
    consumer.on(consumer.events.GROUP_JOIN, () => this.reader.running());
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        let uncommitted: string | undefined;
        let count = 0;
        const commit = async () => {
          if (uncommitted === undefined) return;
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(uncommitted) + 1n).toString() }]);
          uncommitted = undefined;
        };
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          await this.handle(batch.topic, batch.partition, message);
          resolveOffset(message.offset);
          uncommitted = message.offset;
          const lag = Number(BigInt(batch.highWatermark) - BigInt(message.offset) - 1n);
          this.reader.setLag(batch.topic, lag, `${batch.topic}:${batch.partition}`);
          if (++count % COMMIT_EVERY === 0) {
            await commit();
            await heartbeat();
          }
        }
        await commit();
      },
    });
  }

  /** One record: published to every topic that reads this Kafka topic; refused ones dead-lettered. Throws only on transient failures. */
  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
    const position = `${partition}:${message.offset}`;
    await this.reader.read(
      this.reader.reading(topic),
      {
        value: message.value,
        headers,
        attributes: cloudEventAttributes(headers, ['ce_']),
        derivedEventId: derivedEventId('kafka', topic, position),
        where: `${topic}:${position}`,
      },
      (dlqHeaders) => this.deadLetter(`${topic}.dlq`, { key: message.key, value: message.value, headers: dlqHeaders }),
    );
  }
}
