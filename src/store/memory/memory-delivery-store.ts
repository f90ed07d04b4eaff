import { matchesFilter } from '../../query/match-filter';
import type { AttemptOutcome, ClaimRequest, Delivery, DeliveryAttempt, DeliveryListQuery, DeliveryStore, HeartbeatGroup } from '../delivery-types';
import {
  applyChange,
  finishedBefore,
  isFinished,
  outcomeChange,
  postponeChange,
  RELEASE_LEASE,
  releaseStagedChange,
  REDELIVERABLE,
  redeliverChange,
  stagedBefore,
  VISIBLE,
  type DeliveryChange,
} from '../delivery-transitions';
import { readCopy, recordOf } from './delivery-copies';
import { FinishedCap, type FinishedCapOptions } from './finished-cap';
import { HubQueues } from './hub-queues';
import { LeaseTable } from './lease-table';
import { OrderingKeys } from './ordering-keys';
import { StagedIndex } from './staged-index';
import { Heartbeats } from './heartbeats';

export type MemoryDeliveryStoreOptions = FinishedCapOptions;

/**
 * The embedded outbox: the records by id, and the indexes that keep every operation from scanning
 * them. Each index is its own module; this class keeps them in step as a record moves between
 * states. A pending delivery sits in its hub's due queue (HubQueues) and, while a worker holds it,
 * in the lease table; an ordered one (with an orderingKey) also sits in its key (OrderingKeys), and
 * only the key's claimable head is ever filed in its hub's queue. Staged ones are indexed by event,
 * finished ones counted and capped (FinishedCap). Unordered deliveries never touch the key
 * bookkeeping. Records are copies: nothing the caller holds is ever stored or handed out.
 */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly byId = new Map<string, Delivery>();
  private readonly leases = new LeaseTable();
  private readonly ordering = new OrderingKeys(this.byId);
  private readonly queues = new HubQueues(this.byId, this.leases, this.ordering);
  private readonly staged = new StagedIndex();
  private readonly heartbeats = new Map<HeartbeatGroup, Heartbeats>();
  private readonly cap: FinishedCap;

  constructor(options: MemoryDeliveryStoreOptions = {}) {
    this.cap = new FinishedCap(this.byId, (d) => this.remove(d), options);
  }

  async insertMany(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) {
      const record = recordOf(d);
      this.byId.set(record.id, record);
      if (isFinished(record)) this.cap.added(record);
      else this.ordering.join(record);
      if (record.status === 'pending') this.schedule(record);
      else if (record.status === 'staged') this.staged.add(record);
    }
    this.cap.enforce();
  }

  async releaseStaged(eventResourceId: string, sequence?: number): Promise<number> {
    const ofEvent = this.staged.take(eventResourceId);
    if (!ofEvent) return 0;
    const release = releaseStagedChange(sequence);
    let released = 0;
    for (const d of ofEvent) {
      if (this.byId.get(d.id) !== d || d.status !== 'staged') continue;
      applyChange(d, release);
      this.ordering.join(d);
      this.schedule(d);
      released++;
    }
    return released;
  }

  async listStaged(before: number, limit: number): Promise<Delivery[]> {
    const clauses = stagedBefore(before);
    const found: Delivery[] = [];
    for (const d of this.staged.all()) {
      if (found.length >= limit) break;
      if (this.byId.get(d.id) === d && matchesFilter(d, clauses)) found.push(readCopy(d));
    }
    return found;
  }

  async claimDue(request: ClaimRequest): Promise<Delivery[]> {
    // Leases that ran out make their deliveries claimable again.
    for (const d of this.leases.expired(request.now)) {
      this.unlease(d);
      this.schedule(d);
    }
    return this.queues.claim(request);
  }

  async complete(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const d = this.byId.get(id);
    if (!d || d.leaseOwner !== owner) return false;
    this.change(d, outcomeChange(outcome));
    this.unlease(d);
    // Pending again for a retry, or finished: then an ordered head hands its key on to the next.
    this.schedule(d);
    this.cap.enforce();
    return true;
  }

  async postpone(id: string, owner: string, until: number): Promise<boolean> {
    const d = this.byId.get(id);
    if (!d || d.leaseOwner !== owner) return false;
    applyChange(d, postponeChange(until));
    this.unlease(d);
    this.schedule(d);
    return true;
  }

  async heartbeat(group: HeartbeatGroup, owner: string, now: number, aliveMs: number): Promise<number> {
    let beats = this.heartbeats.get(group);
    if (!beats) this.heartbeats.set(group, (beats = new Heartbeats()));
    return beats.beat(owner, now, aliveMs);
  }

  async release(owner: string): Promise<number> {
    let count = 0;
    for (const d of this.byId.values()) {
      if (d.leaseOwner === owner) {
        applyChange(d, RELEASE_LEASE);
        this.unlease(d);
        this.schedule(d);
        count++;
      }
    }
    return count;
  }

  async get(hubId: string, id: string): Promise<Delivery | undefined> {
    const d = this.byId.get(id);
    return d && d.hubId === hubId && matchesFilter(d, VISIBLE) ? readCopy(d) : undefined;
  }

  async list(hubId: string, query: DeliveryListQuery): Promise<{ items: Delivery[]; total: number }> {
    const matching = [...this.byId.values()].filter((d) => d.hubId === hubId && matchesFilter(d, VISIBLE) && matchesFilter(d, query.filter));
    return { items: matching.slice(query.offset, query.offset + query.limit).map(readCopy), total: matching.length };
  }

  async redeliver(hubId: string, id: string, now: number): Promise<Delivery | undefined> {
    const d = this.byId.get(id);
    if (!d || d.hubId !== hubId || !matchesFilter(d, VISIBLE)) return undefined;
    if (matchesFilter(d, REDELIVERABLE)) {
      this.change(d, redeliverChange(now));
      // Back in its key by its sequence: next unless an attempt of the key is in flight.
      this.ordering.join(d);
      this.schedule(d);
    }
    return readCopy(d);
  }

  async deleteByHub(hubId: string): Promise<number> {
    return this.deleteWhere((d) => d.hubId === hubId);
  }

  async deleteByEvent(eventResourceId: string): Promise<number> {
    this.staged.forget(eventResourceId);
    return this.deleteWhere((d) => d.eventResourceId === eventResourceId);
  }

  async deleteFinishedBefore(cutoff: number, limit: number): Promise<number> {
    const expired = finishedBefore(cutoff);
    let deleted = 0;
    for (const d of this.byId.values()) {
      if (deleted >= limit) break;
      if (!matchesFilter(d, expired)) continue;
      this.remove(d);
      deleted++;
    }
    return deleted;
  }

  async attemptsSince(hubId: string, since: string): Promise<Array<Pick<DeliveryAttempt, 'at' | 'durationMs' | 'outcome'>>> {
    const found: Array<Pick<DeliveryAttempt, 'at' | 'durationMs' | 'outcome'>> = [];
    for (const d of this.byId.values()) {
      if (d.hubId !== hubId) continue;
      for (const a of d.attempts) if (a.at >= since) found.push({ at: a.at, durationMs: a.durationMs, outcome: a.outcome });
    }
    return found;
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

  async countUnfinished(): Promise<number> {
    // O(1): every delivery held is either finished (counted as it finishes) or not.
    return this.byId.size - this.cap.count;
  }

  /** After a change of d: files in its hub's queue what may be claimed now (d, or its key's head). */
  private schedule(d: Delivery): void {
    const next = this.ordering.nextToFile(d);
    if (next) this.queues.file(next);
  }

  private unlease(d: Delivery): void {
    this.leases.drop(d.id);
    this.ordering.unleased(d);
  }

  /** Applies a state change, keeping the count and order of finished deliveries. */
  private change(d: Delivery, change: DeliveryChange): void {
    const wasFinished = isFinished(d);
    applyChange(d, change);
    this.cap.changed(d, wasFinished);
  }

  private deleteWhere(predicate: (d: Delivery) => boolean): number {
    let count = 0;
    for (const d of this.byId.values()) {
      if (predicate(d)) {
        this.remove(d);
        count++;
      }
    }
    return count;
  }

  private remove(d: Delivery): void {
    this.byId.delete(d.id);
    this.leases.drop(d.id);
    this.cap.removed(d);
    // The next of its key may go now (its own queue entries are stale: the delivery is gone).
    const next = this.ordering.removed(d);
    if (next) this.queues.file(next);
  }
}
