import { matchesFilter } from '../../hub/query/match-filter';
import type { AttemptOutcome, ClaimRequest, Delivery, DeliveryListQuery, DeliveryStore } from '../delivery-types';

/** The embedded outbox. Single-process, so a claim is atomic by construction. */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly byId = new Map<string, Delivery>();

  async insertMany(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) this.byId.set(d.id, structuredClone(d));
  }

  async claimDue(request: ClaimRequest): Promise<Delivery[]> {
    const due = [...this.byId.values()]
      .filter((d) => d.status === 'pending' && d.nextAttemptAt <= request.now && !(d.leaseUntil !== undefined && d.leaseUntil > request.now))
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    const perHub = new Map(request.inFlightByHub);
    const claimed: Delivery[] = [];
    for (const d of due) {
      if (claimed.length >= request.limit) break;
      const inFlight = perHub.get(d.hubId) ?? 0;
      if (inFlight >= request.perHubLimit) continue;
      perHub.set(d.hubId, inFlight + 1);
      d.leaseOwner = request.owner;
      d.leaseUntil = request.now + request.leaseMs;
      claimed.push(structuredClone(d));
    }
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
    delete d.leaseOwner;
    delete d.leaseUntil;
    return true;
  }

  async release(owner: string): Promise<number> {
    let count = 0;
    for (const d of this.byId.values()) {
      if (d.leaseOwner === owner) {
        delete d.leaseOwner;
        delete d.leaseUntil;
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

  private deleteWhere(predicate: (d: Delivery) => boolean): number {
    let count = 0;
    for (const [id, d] of this.byId) {
      if (predicate(d)) {
        this.byId.delete(id);
        count++;
      }
    }
    return count;
  }
}
