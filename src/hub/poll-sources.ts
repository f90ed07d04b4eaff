import type { Logger } from '../logger';
import { POLL_KEY, pollIntervalMs, type PollSource } from '../poll/poll-source';
import { TOP_LEVEL, type Stores } from '../store/store-types';
import type { EventSource } from './event-source';
import { pollDelay } from './poll-delay';
import { warningSummary } from './warning-summary';
import { PollFailure, type PollOutcome, type TopicPoller } from './topic-poller';

/** How long a lease holds without renewal: a process that dies gives its topics up after this. */
export const POLL_LEASE_MS = 30_000;
/** How often the topics with a poll source are read again (those created through other processes). */
const REFRESH_MS = 5000;
/** Topics with a poll source, at most: sources are configuration. */
const MAX_TOPICS = 1000;

/** What the source records on the topic after each poll: read-only attributes of its `source`. */
export interface PollStatus {
  lastPollAt: string;
  lastError?: string;
}

/** The counts /metrics shows (tmf688_poll_*). */
export interface PollStats {
  polls: number;
  failures: number;
  published: number;
  duplicates: number;
  refused: number;
}

/** What happened to one topic's turn: polled (the outcome), failed (why), or another process holds it. */
export type PollTurn = { polled: PollOutcome } | { failed: string } | 'held';

interface Entry {
  source: PollSource;
  dueAt: number;
  failures: number;
  /** When this process's lease on the topic was last taken or renewed. */
  leasedAt?: number;
}

export interface PollSourcesDeps {
  poller: Pick<TopicPoller, 'poll'>;
  stores: Pick<Stores, 'topics' | 'polls'>;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** This process, as its leases name it. */
  owner: string;
  /** HUB_POLL_CONCURRENCY. */
  concurrency: number;
  now?: () => number;
}

const sourceOf = (stored: unknown): PollSource => {
  const { lastPollAt: _at, lastError: _error, ...source } = stored as PollSource & Partial<PollStatus>;
  return source;
};

/**
 * The topics whose `source` polls an HTTP API, as an event source (key `poll`): each is polled when
 * due (its interval, or after failures its backoff), by at most HUB_POLL_CONCURRENCY at once, by the
 * one process that holds its lease (renewed while it lives, taken over once it runs out). Each poll's
 * time and failure are recorded on the topic (`source.lastPollAt`, `source.lastError`). A scheduler
 * job calls tick(); a failed poll never stops the others.
 */
export class PollSources implements EventSource {
  readonly stats: PollStats = { polls: 0, failures: 0, published: 0, duplicates: 0, refused: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Map<string, Promise<PollTurn>>();
  private readonly now: () => number;
  private refreshedAt = -Infinity;
  private stopped = false;

  constructor(private readonly deps: PollSourcesDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Poll sources are checked by readPollSource; this is the broker port's, unused for `poll`. */
  topicRefusal(): string | undefined {
    return undefined;
  }

  /** A topic with a poll source was created or deleted: read the topics again at the next tick. */
  changed(): void {
    this.refreshedAt = -Infinity;
  }

  /** How many topics this process knows with a poll source. */
  get topics(): number {
    return this.entries.size;
  }

  /** One scheduler run: re-read the topics when due, renew the leases held, start the polls that are due. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    if (now - this.refreshedAt >= REFRESH_MS) await this.refresh(now);
    await this.renew(now);
    for (const [topicId, entry] of this.entries) {
      if (this.running.size >= this.deps.concurrency) break;
      if (entry.dueAt <= now && !this.running.has(topicId)) void this.pollNow(topicId);
    }
  }

  /** Polls the topic now (once its lease is had); a call while one is under way shares it. */
  pollNow(topicId: string): Promise<PollTurn> {
    const entry = this.entries.get(topicId);
    if (!entry) return Promise.resolve({ failed: `topic ${topicId} has no poll source this process knows` });
    let turn = this.running.get(topicId);
    if (!turn) {
      turn = this.turn(topicId, entry).finally(() => this.running.delete(topicId));
      this.running.set(topicId, turn);
    }
    return turn;
  }

  /** Reads which topics have a poll source: new ones are due at once, those gone are forgotten. */
  async refresh(now = this.now()): Promise<void> {
    const filter = [{ path: ['source', POLL_KEY], op: 'regex' as const, values: ['.'], regex: /./ }];
    const { items } = await this.deps.stores.topics.list(TOP_LEVEL, { filter, offset: 0, limit: MAX_TOPICS });
    const seen = new Set<string>();
    for (const topic of items) {
      seen.add(topic.id);
      const source = sourceOf(topic.source);
      const entry = this.entries.get(topic.id);
      if (entry) entry.source = source;
      else this.entries.set(topic.id, { source, dueAt: now, failures: 0 });
    }
    for (const topicId of this.entries.keys()) if (!seen.has(topicId)) this.entries.delete(topicId);
    this.refreshedAt = now;
  }

  /** Stops starting polls, waits for those under way, and gives this process's leases up. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.values());
    await this.deps.stores.polls.release(this.deps.owner).catch((err) => this.deps.logger.warn('could not release the poll leases', { err }));
  }

  private async renew(now: number): Promise<void> {
    for (const [topicId, entry] of this.entries) {
      if (entry.leasedAt === undefined || now - entry.leasedAt < POLL_LEASE_MS / 3) continue;
      const held = await this.deps.stores.polls.lease(topicId, this.deps.owner, now, POLL_LEASE_MS);
      entry.leasedAt = held ? now : undefined;
    }
  }

  private async turn(topicId: string, entry: Entry): Promise<PollTurn> {
    const now = this.now();
    const intervalMs = pollIntervalMs(entry.source);
    try {
      if (!(await this.deps.stores.polls.lease(topicId, this.deps.owner, now, POLL_LEASE_MS))) {
        // Another process polls it: look again within a lease, to take over if that process died.
        entry.leasedAt = undefined;
        entry.dueAt = now + Math.min(intervalMs, POLL_LEASE_MS);
        return 'held';
      }
      entry.leasedAt = now;
    } catch (err) {
      entry.dueAt = now + pollDelay(intervalMs, 1);
      return { failed: `the lease could not be taken: ${(err as Error).message}` };
    }
    this.stats.polls += 1;
    try {
      const outcome = await this.deps.poller.poll(topicId, entry.source, this.deps.owner);
      this.stats.published += outcome.published;
      this.stats.duplicates += outcome.duplicates;
      this.stats.refused += outcome.warnings.length;
      entry.failures = 0;
      const lastError = warningSummary(outcome.warnings);
      await this.record(topicId, entry, { lastPollAt: new Date(now).toISOString(), ...(lastError ? { lastError } : {}) });
      return { polled: outcome };
    } catch (err) {
      const reason = err instanceof PollFailure ? err.message : `${(err as Error).message ?? err}`;
      this.stats.failures += 1;
      entry.failures += 1;
      this.deps.logger.warn('a poll failed; it is tried again after a backoff', { topicId, failures: entry.failures, reason });
      await this.record(topicId, entry, { lastPollAt: new Date(now).toISOString(), lastError: reason });
      return { failed: reason };
    } finally {
      entry.dueAt = now + pollDelay(intervalMs, entry.failures);
    }
  }

  /** Writes the poll's status on the topic's source (the store may be away: that is logged, not fatal). */
  private async record(topicId: string, entry: Entry, status: PollStatus): Promise<void> {
    try {
      await this.deps.stores.topics.update(TOP_LEVEL, topicId, { source: { ...entry.source, ...status } });
    } catch (err) {
      this.deps.logger.warn('could not record a poll on its topic', { topicId, err });
    }
  }
}
