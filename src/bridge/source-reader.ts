import { deadLetterHeaders } from './dead-letter-headers';
import { sourceEvent, type RecordFormat, type SourceRecord } from './source-record';

/** A topic of the hub that reads a broker destination (its `source` attribute): structurally the hub's SourceBinding. */
export interface SourceBinding {
  topicId: string;
  /** What is read: a Kafka topic, a NATS subject, an AMQP queue, an MQTT topic filter. */
  name: string;
  format: RecordFormat;
}

/** What publishing one record came to (structurally the hub's IngestOutcome). Transient failures (the store is down) are thrown instead. */
export type IngestOutcome = 'stored' | 'duplicate' | { refused: string };

/** A logger as the bridges' shared code needs it (structurally the hub's Logger). */
export interface BridgeLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

export interface SourceDeps {
  /** The topics with a source of this broker, now. */
  bindings(): Promise<SourceBinding[]>;
  /** Publishes an event as POST /topic/{id}/event does (the hub's source-ingest service). */
  ingest(topicId: string, event: Record<string, unknown>): Promise<IngestOutcome>;
  logger: BridgeLog;
}

export type SourceState = 'idle' | 'connecting' | 'running' | 'crashed';

export interface SourceStats {
  consumed: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  state: SourceState;
}

/** A broker adapter's reading: what the SourceReader asks it to follow. */
export interface SourceFollower {
  /**
   * Reads these bindings from now on, instead of what it read before. Rejects when the broker
   * cannot be reached: the reader is then `crashed` and tries again at the next refresh.
   */
  follow(bindings: readonly SourceBinding[]): Promise<void>;
  /** Stops reading: no binding is left (`final` false: what was read for them may be dropped), or the bridge stops (true: keep it for the next start). */
  close(final: boolean): Promise<void>;
}

/** A record to dead-letter: the headers its copy gets (its own, the reason and where it was read). */
export type DeadLetter = (headers: Record<string, string>) => Promise<void>;

/** One record read, as the reader publishes it. */
export interface ReadRecord extends SourceRecord {
  /** The record's own headers, kept on its dead-lettered copy. */
  headers: Readonly<Record<string, string>>;
  /** Where it was read (`<destination>:<position>`), the dead-lettered copy's tmf688-dlq-source. */
  where: string;
}

/**
 * The bookkeeping every broker's topic sources share: which bindings are followed (refreshed one at
 * a time, the adapter asked to follow again only when they changed or it crashed), each record
 * published to every topic that reads it and counted (stored, duplicate, dead-lettered), a refused
 * one handed to the adapter's dead-letter destination with the reason, and the lag per destination.
 * The adapter acknowledges a record to its broker only once read() resolved: a crash before that
 * replays the record, and the eventId uniqueness turns the replay into a duplicate.
 */
export class SourceReader {
  readonly stats: SourceStats = { consumed: 0, stored: 0, duplicates: 0, deadLettered: 0, state: 'idle' };
  private current: readonly SourceBinding[] = [];
  private following = '';
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly lagByKey = new Map<string, { name: string; lag: number }>();

  constructor(
    /** The broker's name in log lines: `kafka`, `nats`, ... */
    private readonly broker: string,
    private readonly deps: SourceDeps,
    private readonly follower: SourceFollower,
    /** What makes two binding sets different for the adapter (Kafka: the topics read; NATS: each topic's consumer). */
    private readonly identity: (binding: SourceBinding) => string = (binding) => binding.name,
  ) {}

  /** The bindings followed now. */
  get bindings(): readonly SourceBinding[] {
    return this.current;
  }

  /** The bindings reading `name`. */
  reading(name: string): SourceBinding[] {
    return this.current.filter((binding) => binding.name === name);
  }

  /**
   * Reads the bindings again and follows them (a topic with a source was created or deleted here,
   * or the periodic refresh is due: topics created through other processes). One refresh at a time.
   */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing
      .then(() => this.reconcile())
      .catch((err) => this.deps.logger.warn(`${this.broker} sources: could not refresh`, { err: String((err as Error)?.message ?? err) }));
    return this.refreshing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.refreshing;
    await this.follower.close(true).catch(() => undefined);
    this.stats.state = 'idle';
  }

  /** The adapter lost its connection, or its consumer died: the next refresh follows again. */
  crashed(why: string): void {
    if (this.stats.state === 'crashed' || this.stopped) return;
    this.stats.state = 'crashed';
    this.deps.logger.warn(`${this.broker} sources: reading stopped; it resumes at the next refresh`, { error: why });
  }

  /** The adapter reads again (a consumer joined, a connection came back). */
  running(): void {
    if (!this.stopped && this.following !== '') this.stats.state = 'running';
  }

  /** Records of `name` not yet read, as the broker last told (`key` tells apart what adds up: Kafka's partitions). */
  setLag(name: string, lag: number, key = name): void {
    this.lagByKey.set(key, { name, lag: Math.max(0, lag) });
  }

  lag(): Record<string, number> {
    const lag: Record<string, number> = {};
    for (const { name, lag: value } of this.lagByKey.values()) lag[name] = (lag[name] ?? 0) + value;
    return lag;
  }

  /**
   * One record: published to each of `bindings` (those reading where it came from), counted, and
   * when refused handed to `deadLetter`. Throws only on transient failures (the store is away):
   * the adapter then leaves the record unacknowledged, to be read again.
   */
  async read(bindings: readonly SourceBinding[], record: ReadRecord, deadLetter: DeadLetter): Promise<void> {
    this.stats.consumed++;
    for (const binding of bindings) {
      const read = sourceEvent(binding.format, record);
      const outcome: IngestOutcome = 'invalid' in read ? { refused: read.invalid } : await this.deps.ingest(binding.topicId, read.event);
      if (outcome === 'stored') this.stats.stored++;
      else if (outcome === 'duplicate') this.stats.duplicates++;
      else {
        await deadLetter(deadLetterHeaders(record.headers, outcome.refused, record.where));
        this.stats.deadLettered++;
      }
    }
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const bindings = await this.deps.bindings();
    this.current = bindings;
    const wanted = [...new Set(bindings.map(this.identity))].sort().join('\n');
    if (wanted === this.following && this.stats.state !== 'crashed') return;
    this.following = '';
    this.lagByKey.clear();
    if (wanted === '') {
      await this.follower.close(false);
      this.stats.state = 'idle';
      return;
    }
    this.stats.state = 'connecting';
    try {
      await this.follower.follow(bindings);
      this.following = wanted;
      if (this.stats.state === 'connecting') this.stats.state = 'running';
    } catch (err) {
      // Tried again at the next refresh (the broker may be away).
      this.stats.state = 'crashed';
      await this.follower.close(true).catch(() => undefined);
      throw err;
    }
  }
}
