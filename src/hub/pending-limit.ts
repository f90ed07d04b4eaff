import { TmfError } from '../errors';
import type { DeliveryStore } from '../store/delivery-types';

export interface PendingLimitOptions {
  /** Unfinished (staged or pending) deliveries past which publishing is refused; 0: no limit (HUB_MAX_PENDING). */
  max: number;
  /**
   * 0 reads the store's count at every check (the embedded store counts in O(1)). Otherwise (MongoDB)
   * the scheduler calls refresh() this often, so a publish never waits for a count of the outbox,
   * and the figure is at most this old plus one count query (this process's own publishes are
   * added as they happen). Only the first check waits for a read.
   */
  refreshMs: number;
}

/** What the limit says of the outbox now. */
export interface PendingState {
  pending: number;
  max: number;
  over: boolean;
}

/** Seconds a refused producer is told to wait (Retry-After). */
export const BACKLOG_RETRY_AFTER_SECONDS = 1;

/**
 * Backpressure on producers: once the deliveries not yet finished pass HUB_MAX_PENDING, publishing
 * answers 503 with Retry-After, and changes nothing, until the worker has drained the backlog
 * below it. Deliveries already accepted are never dropped.
 */
export class PendingLimit {
  private count = 0;
  private read = false;
  private reading: Promise<number> | undefined;
  private readonly refusedListeners: Array<() => void> = [];

  constructor(
    private readonly options: PendingLimitOptions,
    private readonly store: Pick<DeliveryStore, 'countUnfinished'>,
  ) {}

  /** Called for every publish refused: the metrics count them. */
  subscribe(listener: () => void): void {
    this.refusedListeners.push(listener);
  }

  /** Throws the 503 when the backlog is past the limit. */
  async check(): Promise<void> {
    const state = await this.state();
    if (!state.over) return;
    for (const listener of this.refusedListeners) listener();
    throw new TmfError(
      503,
      'ServiceUnavailable',
      'Too many pending deliveries',
      `The hub has ${state.pending} deliveries not yet delivered, past its limit of ${state.max} (HUB_MAX_PENDING); nothing was published, retry later`,
      { 'Retry-After': String(BACKLOG_RETRY_AFTER_SECONDS) },
    );
  }

  /** Deliveries this process just wrote: counted at once, before the next read of the store. */
  added(count: number): void {
    this.count += count;
  }

  /** The count: read from the store now on an exact store (refreshMs 0), else the last refresh. */
  async state(): Promise<PendingState> {
    const { max } = this.options;
    if (max === 0) return { pending: 0, max, over: false };
    if (this.options.refreshMs === 0 || !this.read) await this.refresh();
    return { pending: this.count, max, over: this.count >= max };
  }

  /**
   * Reads the store's count (one read at a time). An unreachable store leaves the last figure (the
   * publish itself then meets the store's 503) and is not thrown: a check never fails on the count.
   */
  refresh(): Promise<number> {
    if (this.options.max === 0) return Promise.resolve(0);
    this.reading ??= this.store
      .countUnfinished()
      .then((count) => {
        this.count = count;
        this.read = true;
      })
      .catch(() => undefined)
      .then(() => this.count)
      .finally(() => (this.reading = undefined));
    return this.reading;
  }
}
