import { matchesFilter } from '../../hub/query/match-filter';
import type { AttemptOutcome, ClaimRequest, Delivery, DeliveryListQuery, DeliveryStore } from '../delivery-types';
import { DueHeap } from './due-heap';

/**
 * The embedded outbox. Single-process, so a claim is atomic by construction. Pending deliveries sit
 * in a heap by due time (claims cost O(log n) each, whatever the number of deliveries); leased ones
 * sit apart until completed, released or their lease expires. Heap entries are checked when popped,
 * so deleting or rescheduling a delivery needs no heap surgery.
 */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly byId = new Map<string, Delivery>();
  private readonly due = new DueHeap();
  private readonly leased = new Map<string, Delivery>();

  async insertMany(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) {
      const copy = structuredClone(d);
      this.byId.set(copy.id, copy);
      if (copy.status === 'pending') this.schedule(copy);
    }
  }

  async claimDue(request: ClaimRequest): Promise<Delivery[]> {
    // Leases that ran out make their deliveries claimable again.
    for (const [id, d] of this.leased) {
      if ((d.leaseUntil ?? 0) <= request.now) {
        this.leased.delete(id);
        this.schedule(d);
      }
    }
    const perHub = new Map(request.inFlightByHub);
    const claimed: Delivery[] = [];
    const skipped: Delivery[] = [];
    while (claimed.length < request.limit) {
      const top = this.due.peek();
      if (!top || top.at > request.now) break;
      this.due.pop();
      const d = this.byId.get(top.id);
      if (!d || d.status !== 'pending' || d.nextAttemptAt !== top.at || this.leased.has(d.id)) continue;
      const inFlight = perHub.get(d.hubId) ?? 0;
      if (inFlight >= request.perHubLimit) {
        skipped.push(d);
        continue;
      }
      perHub.set(d.hubId, inFlight + 1);
      d.leaseOwner = request.owner;
      d.leaseUntil = request.now + request.leaseMs;
      this.leased.set(d.id, d);
      claimed.push(structuredClone(d));
    }
    for (const d of skipped) this.schedule(d);
    return claimed;
  }

  async complete(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const d = this.byId.get(id);
    if (!d || d.leaseOwner !== owner) return false;
    d.attempts.push(structuredClone(outcome.attempt));
    d.status = outcome.status;
    d.failures = outcome.failures;
    d.nextAttemptAt = outcome.nextAttemptAt;
    if (outcome.deliveredAt) d.deliveredAt = outcome.deliveredAt;
    this.unlease(d);
    if (d.status === 'pending') this.schedule(d);
    return true;
  }

  async release(owner: string): Promise<number> {
    let count = 0;
    for (const d of this.byId.values()) {
      if (d.leaseOwner === owner) {
        this.unlease(d);
        if (d.status === 'pending') this.schedule(d);
        count++;
      }
    }
    return count;
  }

  async get(hubId: string, id: string): Promise<Delivery | undefined> {
    const d = this.byId.get(id);
    return d && d.hubId === hubId ? structuredClone(d) : undefined;
  }

  async list(hubId: string, query: DeliveryListQuery): Promise<{ items: Delivery[]; total: number }> {
    const matching = [...this.byId.values()].filter((d) => d.hubId === hubId && matchesFilter(d, query.filter));
    return { items: matching.slice(query.offset, query.offset + query.limit).map((d) => structuredClone(d)), total: matching.length };
  }

  async redeliver(hubId: string, id: string, now: number): Promise<Delivery | undefined> {
    const d = this.byId.get(id);
    if (!d || d.hubId !== hubId) return undefined;
    if (d.status !== 'pending') {
      d.status = 'pending';
      d.failures = 0;
      d.nextAttemptAt = now;
      this.schedule(d);
    }
    return structuredClone(d);
  }

  async deleteByHub(hubId: string): Promise<number> {
    return this.deleteWhere((d) => d.hubId === hubId);
  }

  async deleteByEvent(eventResourceId: string): Promise<number> {
    return this.deleteWhere((d) => d.eventResourceId === eventResourceId);
  }

  async pendingStats(): Promise<{ count: number; oldestCreatedAt?: number }> {
    let count = 0;
    let oldest: number | undefined;
    for (const d of this.byId.values()) {
      if (d.status !== 'pending') continue;
      count++;
      const created = Date.parse(d.createdAt);
      if (oldest === undefined || created < oldest) oldest = created;
    }
    return { count, oldestCreatedAt: oldest };
  }

  private schedule(d: Delivery): void {
    this.due.push(d.id, d.nextAttemptAt);
  }

  private unlease(d: Delivery): void {
    delete d.leaseOwner;
    delete d.leaseUntil;
    this.leased.delete(d.id);
  }

  private deleteWhere(predicate: (d: Delivery) => boolean): number {
    let count = 0;
    for (const [id, d] of this.byId) {
      if (predicate(d)) {
        this.byId.delete(id);
        this.leased.delete(id);
        count++;
      }
    }
    return count;
  }
}
