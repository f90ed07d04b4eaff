import type { Delivery } from '../delivery-types';

const NONE: readonly Delivery[] = [];

/**
 * The embedded outbox's leased deliveries, apart from the due queues until they are completed,
 * released or their lease runs out. It remembers the earliest lease end, so a claim looks for leases
 * that ran out only once one can have: most claims pay nothing for them.
 */
export class LeaseTable {
  private readonly held = new Map<string, Delivery>();
  /** The earliest leaseUntil among held leases: no lease can have run out before it. */
  private earliestEnd = Infinity;

  /** Leases the record to `owner` until `until` (ms). */
  take(d: Delivery, owner: string, until: number): void {
    d.leaseOwner = owner;
    d.leaseUntil = until;
    if (until < this.earliestEnd) this.earliestEnd = until;
    this.held.set(d.id, d);
  }

  has(id: string): boolean {
    return this.held.has(id);
  }

  /** The lease ended; its fields on the record are the caller's to clear (a lease that ran out keeps them). */
  drop(id: string): void {
    this.held.delete(id);
  }

  /** The held deliveries whose lease ran out by `now`, still held (the caller drops and reschedules them). */
  expired(now: number): readonly Delivery[] {
    if (now < this.earliestEnd) return NONE;
    this.earliestEnd = Infinity;
    const found: Delivery[] = [];
    for (const d of this.held.values()) {
      const end = d.leaseUntil ?? 0;
      if (end <= now) found.push(d);
      else if (end < this.earliestEnd) this.earliestEnd = end;
    }
    return found;
  }
}
