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

/** The process's heap, in bytes: the live data after the last full collection, all that is in use now (garbage too), and V8's limit. */
export interface HeapUse {
  live(): number;
  used(): number;
  readonly limit: number;
}

/** Live heap past this share of the limit refuses publishing: a backlog then waits in producers, not in a process about to run out of memory. */
export const HEAP_REFUSE_SHARE = 0.8;

/**
 * The heap in use, garbage included, past this share of the limit refuses publishing too, until the
 * next full collection tells the live data: when most of what is allocated stays (large events), the
 * live data can pass HEAP_REFUSE_SHARE and the limit between two full collections.
 */
export const HEAP_USED_REFUSE_SHARE = 0.9;

/** Whether the heap is too full to take more: the live data past HEAP_REFUSE_SHARE of the limit, or all in use past HEAP_USED_REFUSE_SHARE. */
export function heapFull(live: number, used: number, limit: number): boolean {
  return limit > 0 && (live >= limit * HEAP_REFUSE_SHARE || used >= limit * HEAP_USED_REFUSE_SHARE);
}

/** What the limit says of the outbox now. */
export interface PendingState {
  pending: number;
  max: number;
  /** Publishing is refused: the backlog passed `max`, or the heap is full. */
  over: boolean;
  /** Set when the heap is why: its live data and limit, in MB. */
  heap?: { liveMb: number; usedMb: number; limitMb: number };
}

/** Why publishing is refused, as the 503's message and /ready say it. */
export function refusalReason(state: PendingState): string {
  if (state.heap) {
    const { liveMb, usedMb, limitMb } = state.heap;
    return `the hub's heap is nearly full: ${liveMb} MB live after the last full collection, ${usedMb} MB in use, of its limit of ${limitMb} MB (HUB_HEAP_LIMIT)`;
  }
  return `the hub has ${state.pending} deliveries not yet delivered, past its limit of ${state.max} (HUB_MAX_PENDING)`;
}

/** Seconds a refused producer is told to wait (Retry-After). */
export const BACKLOG_RETRY_AFTER_SECONDS = 1;

/**
 * Backpressure on producers: once the deliveries not yet finished pass HUB_MAX_PENDING, or the live
 * heap passes HEAP_REFUSE_SHARE of its limit, publishing answers 503 with Retry-After, and changes
 * nothing, until the worker has drained the backlog below it (or the caps have dropped enough old
 * events and finished deliveries). Deliveries already accepted are never dropped.
 */
export class PendingLimit {
  private count = 0;
  private read = false;
  private reading: Promise<number> | undefined;
  private readonly refusedListeners: Array<() => void> = [];

  constructor(
    private readonly options: PendingLimitOptions,
    private readonly store: Pick<DeliveryStore, 'countUnfinished'>,
    private readonly heap?: HeapUse,
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
    const reason = refusalReason(state);
    throw new TmfError(
      503,
      'ServiceUnavailable',
      state.heap ? 'Hub memory full' : 'Too many pending deliveries',
      `${reason.charAt(0).toUpperCase()}${reason.slice(1)}; nothing was published, retry later`,
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
    if (max !== 0 && (this.options.refreshMs === 0 || !this.read)) await this.refresh();
    const pending = max === 0 ? 0 : this.count;
    if (this.heap) {
      const [live, used, limit] = [this.heap.live(), this.heap.used(), this.heap.limit];
      const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
      if (heapFull(live, used, limit)) return { pending, max, over: true, heap: { liveMb: mb(live), usedMb: mb(used), limitMb: mb(limit) } };
    }
    return { pending, max, over: max !== 0 && pending >= max };
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
