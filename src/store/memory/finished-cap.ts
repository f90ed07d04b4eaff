import type { Delivery } from '../delivery-types';
import { isFinished } from '../delivery-transitions';
import { InsertionQueue, type Inserted } from './insertion-queue';

export interface FinishedCapOptions {
  /** Delivered and dead deliveries kept at most, before their retention: the oldest finished go first. Unset: no cap. */
  maxFinished?: number;
  /** Called once, the first time the cap drops a delivery. */
  onFirstDrop?: () => void;
}

/**
 * HUB_MEMORY_MAX_DELIVERIES for the embedded outbox: how many of the held deliveries are finished
 * (delivered or dead), in the order they finished, and past the cap the ones that finished first
 * dropped; pending ones are never dropped. The count also makes countUnfinished O(1). A delivery
 * redelivered and finished again is queued again; its earlier entry is recognised as stale by its
 * finish time, and such entries are compacted away once they are most of the queue.
 */
export class FinishedCap {
  /** Delivered and dead deliveries in the order they finished. */
  private readonly order = new InsertionQueue();
  private finished = 0;
  private dropped = false;
  /** Whether a queue entry is current (made once: compaction calls it per entry). */
  private readonly isCurrent = (entry: Inserted): boolean => this.current(entry) !== undefined;

  constructor(
    private readonly byId: ReadonlyMap<string, Delivery>,
    /** Takes a delivery out of the store, calling removed() here. */
    private readonly drop: (d: Delivery) => void,
    private readonly options: FinishedCapOptions = {},
  ) {}

  /** How many held deliveries are finished. */
  get count(): number {
    return this.finished;
  }

  /** A held delivery finished (or was inserted finished). */
  added(d: Delivery): void {
    this.finished++;
    this.order.push({ scope: '', id: d.id, storedAt: d.finishedAt ?? 0 });
  }

  /** A held delivery's state changed from `wasFinished`: it finished, or a redelivery made it pending again. */
  changed(d: Delivery, wasFinished: boolean): void {
    if (wasFinished === isFinished(d)) return;
    if (wasFinished) this.finished--;
    else this.added(d);
  }

  /** A delivery left the store (its queue entry goes stale by itself). */
  removed(d: Delivery): void {
    if (isFinished(d)) this.finished--;
  }

  /** Past maxFinished, drops the deliveries that finished first. */
  enforce(): void {
    const max = this.options.maxFinished;
    if (max === undefined || this.finished <= max) return;
    if (!this.dropped) this.options.onFirstDrop?.();
    this.dropped = true;
    while (this.finished > max) {
      const oldest = this.order.shift();
      if (!oldest) break;
      const d = this.current(oldest);
      if (d) this.drop(d);
    }
    this.order.compact(this.finished, this.isCurrent);
  }

  /** The held finished delivery a queue entry stands for; none when the entry is stale (deleted, or redelivered since). */
  private current(entry: Inserted): Delivery | undefined {
    const d = this.byId.get(entry.id);
    return d !== undefined && isFinished(d) && (d.finishedAt ?? 0) === entry.storedAt ? d : undefined;
  }
}
