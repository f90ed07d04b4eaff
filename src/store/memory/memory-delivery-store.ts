import { matchesFilter } from '../../query/match-filter';
import type { AttemptOutcome, ClaimRequest, Delivery, DeliveryAttempt, DeliveryListQuery, DeliveryStore } from '../delivery-types';
import {
  applyChange,
  claimableFor,
  postponeChange,
  finishedBefore,
  outcomeChange,
  RELEASE_LEASE,
  releaseStagedChange,
  REDELIVERABLE,
  redeliverChange,
  stagedBefore,
  VISIBLE,
  type DeliveryChange,
} from '../delivery-transitions';
import { DueHeap, type DueEntry } from './due-heap';
import { InsertionQueue } from './insertion-queue';

export interface MemoryDeliveryStoreOptions {
  /** Delivered and dead deliveries kept at most, before their retention: the oldest finished go first. Unset: no cap. */
  maxFinished?: number;
  /** Called once, the first time the cap drops a delivery. */
  onFirstDrop?: () => void;
}

/** Every field of a delivery, present even when undefined. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] | undefined };

/**
 * The record the store keeps: a copy that shares nothing mutable with the caller, with every field
 * of a delivery present from the start (undefined until set). Adding a property to a stored object
 * later (a lease, deliveredAt, finishedAt) grows its property store and changes its shape: that
 * made recording an attempt cost about 5 us instead of 0.2 (measured), on every attempt. The nested
 * objects are flat, so one level of copying is enough; the payload string is shared, not copied
 * (strings are immutable). The type lists every field, so a new one cannot be forgotten here.
 */
function copyDelivery(d: Delivery): Delivery {
  const record: EveryField<Delivery> = {
    id: d.id,
    hubKind: d.hubKind,
    hubId: d.hubId,
    topicId: d.topicId,
    eventId: d.eventId,
    eventResourceId: d.eventResourceId,
    eventType: d.eventType,
    url: d.url,
    payload: d.payload,
    orderingKey: d.orderingKey,
    sequence: d.sequence,
    replay: d.replay,
    cloudEvent: d.cloudEvent && { ...d.cloudEvent },
    traceparent: d.traceparent,
    tracestate: d.tracestate,
    status: d.status,
    failures: d.failures,
    attempts: d.attempts.map((a) => ({ ...a })),
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
    finishedAt: d.finishedAt,
    leaseOwner: d.leaseOwner,
    leaseUntil: d.leaseUntil,
  };
  return record as Delivery;
}

/** A record as reads return it: a deep copy, without the fields the store keeps undefined (as if never set). */
function readCopy(d: Delivery): Delivery {
  const copy = structuredClone(d) as unknown as Record<string, unknown>;
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return copy as unknown as Delivery;
}

const isFinished = (d: Delivery): boolean => d.status === 'delivered' || d.status === 'dead';

/** One ordering key of one hub: its unfinished deliveries by sequence, those still without one, and those leased. */
interface OrderingKey {
  bySequence: DueHeap;
  unsequenced: Set<string>;
  leased: Set<string>;
}

const keyOf = (d: Delivery): string => `${d.hubId}\u0000${d.orderingKey}`;

/**
 * The embedded outbox. Single-process, so a claim is atomic by construction. Each hub's pending
 * deliveries sit in a heap by due time, and the hubs in a heap by their earliest due delivery: a
 * claim costs O(log n) per delivery taken, and a hub at its concurrency limit (a slow or dead
 * listener with thousands waiting) costs O(log hubs), so it never slows claims for the others.
 * Leased deliveries sit apart until completed, released or their lease expires. Heap entries are
 * checked when they surface, so deleting or rescheduling a delivery needs no heap surgery.
 * Ordered deliveries (with an orderingKey) also sit in their key's heap by sequence, and only the
 * key's claimable head is ever filed in its hub's queue; unordered ones never touch that bookkeeping.
 */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly byId = new Map<string, Delivery>();
  /** Delivered and dead deliveries in the order they finished: the oldest go first past the cap. */
  private readonly finishedOrder = new InsertionQueue();
  private finished = 0;
  private dropped = false;
  /** hubId -> that hub's pending deliveries by due time. */
  private readonly queues = new Map<string, DueHeap>();
  /** Hubs by the due time of their earliest delivery (entries are hub ids). */
  private readonly heads = new DueHeap();
  private readonly leased = new Map<string, Delivery>();
  /** Worker owner -> when it last said it was alive (ms): several app instances may share this store. */
  private readonly workers = new Map<string, number>();
  /** eventResourceId -> its staged deliveries: releasing them costs what the event has, not the outbox. */
  private readonly staged = new Map<string, Set<Delivery>>();
  /** hubId + orderingKey -> that key's unfinished deliveries. */
  private readonly keys = new Map<string, OrderingKey>();

  constructor(private readonly options: MemoryDeliveryStoreOptions = {}) {}
  /** The earliest leaseUntil among leased deliveries: no lease can have run out before it. */
  private earliestLeaseEnd = Infinity;

  async insertMany(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) {
      const copy = copyDelivery(d);
      this.byId.set(copy.id, copy);
      if (copy.orderingKey !== undefined && !isFinished(copy)) this.join(copy);
      if (copy.status === 'pending') this.schedule(copy);
      if (isFinished(copy)) {
        this.finished++;
        this.finishedOrder.push({ scope: '', id: copy.id, storedAt: copy.finishedAt ?? 0 });
      }
      if (copy.status === 'staged') {
        let ofEvent = this.staged.get(copy.eventResourceId);
        if (!ofEvent) this.staged.set(copy.eventResourceId, (ofEvent = new Set()));
        ofEvent.add(copy);
      }
    }
    this.capFinished();
  }

  async releaseStaged(eventResourceId: string, sequence?: number): Promise<number> {
    const ofEvent = this.staged.get(eventResourceId);
    if (!ofEvent) return 0;
    this.staged.delete(eventResourceId);
    let released = 0;
    for (const d of ofEvent) {
      if (this.byId.get(d.id) !== d || d.status !== 'staged') continue;
      applyChange(d, releaseStagedChange(sequence));
      if (d.orderingKey !== undefined) this.join(d);
      this.schedule(d);
      released++;
    }
    return released;
  }

  async listStaged(before: number, limit: number): Promise<Delivery[]> {
    const clauses = stagedBefore(before);
    const found: Delivery[] = [];
    for (const ofEvent of this.staged.values()) {
      for (const d of ofEvent) {
        if (found.length >= limit) return found;
        if (this.byId.get(d.id) === d && matchesFilter(d, clauses)) found.push(readCopy(d));
      }
    }
    return found;
  }

  async claimDue(request: ClaimRequest): Promise<Delivery[]> {
    // Leases that ran out make their deliveries claimable again (looked for only once one can have).
    if (request.now >= this.earliestLeaseEnd) {
      this.earliestLeaseEnd = Infinity;
      for (const d of this.leased.values()) {
        const end = d.leaseUntil ?? 0;
        if (end <= request.now) {
          this.unlease(d);
          this.schedule(d);
        } else if (end < this.earliestLeaseEnd) {
          this.earliestLeaseEnd = end;
        }
      }
    }
    const perHub = new Map(request.inFlightByHub);
    const claimed: Delivery[] = [];
    const setAside: Array<[string, number]> = [];
    const takenNow = new Map<string, number>();
    while (claimed.length < request.limit) {
      const head = this.heads.peek();
      if (!head || head.at > request.now) break;
      this.heads.pop();
      const hubId = head.id;
      const queue = this.queues.get(hubId);
      const first = queue && this.validTop(queue);
      if (!queue || !first) {
        if (queue) this.queues.delete(hubId);
        continue;
      }
      // A stale head (the hub's earliest delivery changed): file the hub again under the right time.
      if (first.at !== head.at) {
        this.heads.push(hubId, first.at);
        continue;
      }
      let inFlight = perHub.get(hubId) ?? 0;
      // A hub can surface twice in one claim: its budget counts what this claim already took of it.
      let room = claimableFor(hubId, inFlight, request, takenNow.get(hubId));
      if (room <= 0) {
        setAside.push([hubId, first.at]);
        continue;
      }
      for (let top: DueEntry | undefined = first; top && top.at <= request.now && claimed.length < request.limit && room > 0; top = this.validTop(queue)) {
        room--;
        takenNow.set(hubId, (takenNow.get(hubId) ?? 0) + 1);
        queue.pop();
        const d = this.byId.get(top.id)!;
        d.leaseOwner = request.owner;
        d.leaseUntil = request.now + request.leaseMs;
        this.earliestLeaseEnd = Math.min(this.earliestLeaseEnd, d.leaseUntil);
        this.leased.set(d.id, d);
        if (d.orderingKey !== undefined) this.keys.get(keyOf(d))?.leased.add(d.id);
        // Attempt records never change once written, so a shallow copy keeps the caller apart.
        claimed.push({ ...d, attempts: [...d.attempts] });
        inFlight++;
      }
      perHub.set(hubId, inFlight);
      const next = this.validTop(queue);
      if (next) this.heads.push(hubId, next.at);
      else this.queues.delete(hubId);
    }
    for (const [hubId, at] of setAside) this.heads.push(hubId, at);
    return claimed;
  }

  async complete(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const d = this.byId.get(id);
    if (!d || d.leaseOwner !== owner) return false;
    this.change(d, outcomeChange(outcome));
    this.unlease(d);
    // A finished head hands its key on to the next.
    if (d.status === 'pending' || d.orderingKey !== undefined) this.schedule(d);
    this.capFinished();
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

  async workerHeartbeat(owner: string, now: number, aliveMs: number): Promise<number> {
    this.workers.set(owner, now);
    let alive = 0;
    for (const [worker, seen] of this.workers) {
      if (seen > now - aliveMs) alive++;
      else this.workers.delete(worker);
    }
    return alive;
  }

  async release(owner: string): Promise<number> {
    let count = 0;
    for (const d of this.byId.values()) {
      if (d.leaseOwner === owner) {
        applyChange(d, RELEASE_LEASE);
        this.unlease(d);
        if (d.status === 'pending') this.schedule(d);
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
      if (d.orderingKey !== undefined) this.join(d);
      this.schedule(d);
    }
    return readCopy(d);
  }

  async deleteByHub(hubId: string): Promise<number> {
    return this.deleteWhere((d) => d.hubId === hubId);
  }

  async deleteByEvent(eventResourceId: string): Promise<number> {
    this.staged.delete(eventResourceId);
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
    return this.byId.size - this.finished;
  }

  /** Files a delivery in its hub's queue; an ordered one files its key's claimable head instead. */
  private schedule(d: Delivery): void {
    if (d.orderingKey === undefined) {
      this.enqueue(d);
      return;
    }
    const key = keyOf(d);
    const state = this.keys.get(key);
    if (!state) return;
    const head = this.claimableHead(state);
    if (head) this.enqueue(head);
    else if (state.leased.size === 0 && state.unsequenced.size === 0 && !this.firstOf(state)) this.keys.delete(key);
  }

  /** An unfinished ordered delivery takes its place in its key: by sequence, or holding the key until it has one. */
  private join(d: Delivery): void {
    const key = keyOf(d);
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { bySequence: new DueHeap(), unsequenced: new Set(), leased: new Set() }));
    if (d.sequence === undefined) {
      state.unsequenced.add(d.id);
    } else {
      state.unsequenced.delete(d.id);
      state.bySequence.push(d.id, d.sequence);
    }
  }

  /** The key's unfinished delivery with the lowest sequence (stale heap entries dropped). */
  private firstOf(state: OrderingKey): Delivery | undefined {
    for (let top = state.bySequence.peek(); top; top = state.bySequence.peek()) {
      const d = this.byId.get(top.id);
      if (d && !isFinished(d) && d.sequence === top.at) return d;
      state.bySequence.pop();
    }
    return undefined;
  }

  /** The key's head when it may be claimed: pending, and nothing of the key leased or still without a sequence. */
  private claimableHead(state: OrderingKey): Delivery | undefined {
    if (state.leased.size > 0 || state.unsequenced.size > 0) return undefined;
    const head = this.firstOf(state);
    return head?.status === 'pending' ? head : undefined;
  }

  private unlease(d: Delivery): void {
    this.leased.delete(d.id);
    if (d.orderingKey !== undefined) this.keys.get(keyOf(d))?.leased.delete(d.id);
  }

  private enqueue(d: Delivery): void {
    let queue = this.queues.get(d.hubId);
    if (!queue) {
      queue = new DueHeap();
      this.queues.set(d.hubId, queue);
    }
    const earliest = this.validTop(queue)?.at;
    queue.push(d.id, d.nextAttemptAt);
    if (earliest === undefined || d.nextAttemptAt < earliest) this.heads.push(d.hubId, d.nextAttemptAt);
  }

  /** The hub queue's first entry that still stands for a claimable delivery, dropping stale ones. */
  private validTop(queue: DueHeap): DueEntry | undefined {
    for (let top = queue.peek(); top; top = queue.peek()) {
      const d = this.byId.get(top.id);
      if (d && d.status === 'pending' && d.nextAttemptAt === top.at && !this.leased.has(d.id) && (d.orderingKey === undefined || this.isClaimableHead(d))) {
        return top;
      }
      queue.pop();
    }
    return undefined;
  }

  private isClaimableHead(d: Delivery): boolean {
    const state = this.keys.get(keyOf(d));
    return state !== undefined && this.claimableHead(state) === d;
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

  /** Applies a state change, keeping the count and order of finished deliveries. */
  private change(d: Delivery, change: DeliveryChange): void {
    const wasFinished = isFinished(d);
    applyChange(d, change);
    if (wasFinished === isFinished(d)) return;
    this.finished += wasFinished ? -1 : 1;
    if (!wasFinished) this.finishedOrder.push({ scope: '', id: d.id, storedAt: d.finishedAt ?? 0 });
  }

  private remove(d: Delivery): void {
    this.byId.delete(d.id);
    this.unlease(d);
    if (isFinished(d)) this.finished--;
    if (d.orderingKey !== undefined) {
      // The next of its key may go now (its own heap entry is stale: the delivery is gone).
      this.keys.get(keyOf(d))?.unsequenced.delete(d.id);
      this.schedule(d);
    }
  }

  /** Past maxFinished, drops the deliveries that finished first; pending ones are never dropped. */
  private capFinished(): void {
    const max = this.options.maxFinished;
    if (max === undefined || this.finished <= max) return;
    if (!this.dropped) this.options.onFirstDrop?.();
    this.dropped = true;
    while (this.finished > max) {
      const oldest = this.finishedOrder.shift();
      if (!oldest) break;
      // An entry from an earlier finish of a delivery redelivered since is stale: its finish time differs.
      const d = this.byId.get(oldest.id);
      if (d && isFinished(d) && (d.finishedAt ?? 0) === oldest.storedAt) this.remove(d);
    }
    this.finishedOrder.compact(this.finished, (entry) => {
      const d = this.byId.get(entry.id);
      return d !== undefined && isFinished(d) && (d.finishedAt ?? 0) === entry.storedAt;
    });
  }
}
