/** One stored resource, as the queue remembers it. */
export interface Inserted {
  scope: string;
  id: string;
  storedAt: number;
}

/**
 * Every resource of a store in the order it was stored, across scopes: the oldest first, for caps
 * (drop the oldest) and retention (drop those stored before a time). Entries of resources deleted
 * some other way stay until they surface or a rebuild drops them.
 */
export class InsertionQueue {
  private entries: Inserted[] = [];
  private head = 0;

  push(entry: Inserted): void {
    this.entries.push(entry);
  }

  /** The oldest entry still queued (it may stand for a resource already deleted). */
  peek(): Inserted | undefined {
    return this.entries[this.head];
  }

  shift(): Inserted | undefined {
    const entry = this.entries[this.head];
    if (entry) this.head++;
    if (this.head > 1024 && this.head > this.entries.length / 2) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Drops the entries of resources that no longer exist, once they are most of the queue. */
  compact(live: number, isLive: (entry: Inserted) => boolean): void {
    if (this.entries.length - this.head < 2 * live + 1024) return;
    this.entries = this.entries.slice(this.head).filter(isLive);
    this.head = 0;
  }
}
