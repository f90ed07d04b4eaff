import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../logger';
import { sourceEvent } from './source-record';

/** A topic of the hub that reads a Kafka topic (its `source` attribute): structurally the hub's SourceBinding. */
export interface SourceBinding {
  topicId: string;
  /** The Kafka topic read. */
  name: string;
  format: 'tmf' | 'cloudevents';
}

/** What publishing one record came to (structurally the hub's IngestOutcome). Transient failures (the store is down) are thrown instead. */
export type IngestOutcome = 'stored' | 'duplicate' | { refused: string };

export interface SourceDeps {
  /** The topics with a source, now. */
  bindings(): Promise<SourceBinding[]>;
  /** Publishes an event as POST /topic/{id}/event does (the hub's source-ingest service). */
  ingest(topicId: string, event: Record<string, unknown>): Promise<IngestOutcome>;
  logger: Logger;
}

export interface SourceStats {
  consumed: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  /** Records not yet read, by Kafka topic (from the last batch of each partition). */
  lag: Record<string, number>;
  state: 'idle' | 'connecting' | 'running' | 'crashed';
}

/** The reason header of a dead-lettered record. */
export const DLQ_REASON_HEADER = 'tmf688-dlq-reason';
const COMMIT_EVERY = 100;

/**
 * Reads the Kafka topics that topics name as their `source`, in one consumer group (HUB_KAFKA_GROUP):
 * hub processes of the same group share the partitions. Each record is published like a POST, and
 * its offset committed only once the event is stored (or known stored: a duplicate eventId), so a
 * crash replays records and the eventId uniqueness turns replays into no-ops. A record that cannot
 * be an event goes to the dead-letter topic with a header saying why, and reading goes on.
 * When the set of sources changes, the consumer is rebuilt on the new set.
 */
export class KafkaSources {
  private consumer: Consumer | undefined;
  private subscribed = '';
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly lagByPartition = new Map<string, { topic: string; lag: number }>();
  readonly stats: SourceStats = { consumed: 0, stored: 0, duplicates: 0, deadLettered: 0, lag: {}, state: 'idle' };

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { groupId: string },
    private readonly deps: SourceDeps,
    /** Produces a dead-lettered record. */
    private readonly deadLetter: (topic: string, message: { key: Buffer | null; value: Buffer | null; headers: Record<string, string> }) => Promise<void>,
  ) {}

  /**
   * Reads the sources again and follows them (a topic with a source was created or deleted here, or
   * the periodic refresh is due: topics created through other processes). One refresh at a time.
   */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.reconcile()).catch((err) => this.deps.logger.warn('kafka sources: could not refresh', { err }));
    return this.refreshing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.refreshing;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }

  lag(): Record<string, number> {
    const lag: Record<string, number> = {};
    for (const { topic, lag: value } of this.lagByPartition.values()) lag[topic] = (lag[topic] ?? 0) + value;
    return lag;
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const bindings = await this.deps.bindings();
    const byKafka = new Map<string, SourceBinding[]>();
    for (const binding of bindings) byKafka.set(binding.name, [...(byKafka.get(binding.name) ?? []), binding]);
    const wanted = [...byKafka.keys()].sort().join(',');
    this.current = byKafka;
    if (wanted === this.subscribed && this.stats.state !== 'crashed') return;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.subscribed = '';
    this.lagByPartition.clear();
    if (wanted === '') {
      this.stats.state = 'idle';
      return;
    }
    this.stats.state = 'connecting';
    try {
      await this.consume([...byKafka.keys()]);
      this.subscribed = wanted;
    } catch (err) {
      // Tried again at the next poll (the broker may be away).
      this.stats.state = 'crashed';
      // consume() may have set it (TypeScript cannot see that).
      await (this.consumer as Consumer | undefined)?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      throw err;
    }
  }

  private async consume(topics: string[]): Promise<void> {
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
    consumer.on(consumer.events.CRASH, (event) => {
      this.stats.state = 'crashed';
      this.deps.logger.warn('kafka sources: the consumer crashed; it restarts', { error: String(event.payload.error) });
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.stats.state = 'running';
    });
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
          this.lagByPartition.set(`${batch.topic}:${batch.partition}`, {
            topic: batch.topic,
            lag: Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(message.offset) - 1n)),
          });
          if (++count % COMMIT_EVERY === 0) {
            await commit();
            await heartbeat();
          }
        }
        await commit();
      },
    });
  }

  private current = new Map<string, SourceBinding[]>();

  /** One record: published to every topic that reads this Kafka topic; refused ones dead-lettered. Throws only on transient failures. */
  private async handle(kafkaTopic: string, partition: number, message: KafkaMessage): Promise<void> {
    this.stats.consumed++;
    for (const binding of this.current.get(kafkaTopic) ?? []) {
      const read = sourceEvent(binding.format, message.value, { topic: kafkaTopic, partition, offset: message.offset });
      const outcome: IngestOutcome = 'invalid' in read ? { refused: read.invalid } : await this.deps.ingest(binding.topicId, read.event);
      if (outcome === 'stored') this.stats.stored++;
      else if (outcome === 'duplicate') this.stats.duplicates++;
      else {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
        headers[DLQ_REASON_HEADER] = outcome.refused.slice(0, 1000);
        headers['tmf688-dlq-source'] = `${kafkaTopic}:${partition}:${message.offset}`;
        await this.deadLetter(`${kafkaTopic}.dlq`, { key: message.key, value: message.value, headers });
        this.stats.deadLettered++;
      }
    }
  }
}
