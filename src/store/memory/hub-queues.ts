import type { ClaimRequest, Delivery } from '../delivery-types';
import { claimableFor } from '../delivery-transitions';
import { claimCopy } from './delivery-copies';
import { DueHeap, type DueEntry } from './due-heap';
import type { LeaseTable } from './lease-table';
import type { OrderingKeys } from './ordering-keys';

/**
 * The embedded outbox's due queues, and the claim that takes from them. Each hub's claimable
 * deliveries sit in a heap by due time, and the hubs in a heap by their earliest due delivery: a
 * claim costs O(log n) per delivery taken, and a hub at its concurrency limit (a slow or dead
 * listener with thousands waiting) costs O(log hubs), so it never slows claims for the others.
 * Entries are checked when they surface (still pending, due at that time, unleased and, if ordered,
 * its key's claimable head), so deleting or rescheduling a delivery needs no heap surgery. Single
 * process, so a claim is atomic by construction.
 */
export class HubQueues {
  /** hubId -> that hub's pending deliveries by due time. */
  private readonly queues = new Map<string, DueHeap>();
  /** Hubs by the due time of their earliest delivery (entries are hub ids). */
  private readonly heads = new DueHeap();

  constructor(
    private readonly byId: ReadonlyMap<string, Delivery>,
    private readonly leases: LeaseTable,
    private readonly ordering: OrderingKeys,
  ) {}

  /** Files a pending delivery in its hub's queue, due at its nextAttemptAt. */
  file(d: Delivery): void {
    let queue = this.queues.get(d.hubId);
    if (!queue) {
      queue = new DueHeap();
      this.queues.set(d.hubId, queue);
    }
    const earliest = this.validTop(queue)?.at;
    queue.push(d.id, d.nextAttemptAt);
    if (earliest === undefined || d.nextAttemptAt < earliest) this.heads.push(d.hubId, d.nextAttemptAt);
  }

  /** Leases due deliveries, earliest due first, within the claim's limit and each hub's room: copies for the worker. */
  claim(request: ClaimRequest): Delivery[] {
    const perHub = new Map(request.inFlightByHub);
    const claimed: Delivery[] = [];
    const setAside: Array<[string, number]> = [];
    const takenNow = new Map<string, number>();
    const leaseUntil = request.now + request.leaseMs;
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
        this.leases.take(d, request.owner, leaseUntil);
        this.ordering.leased(d);
        claimed.push(claimCopy(d));
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

  /** The queue's first entry that still stands for a claimable delivery, dropping stale ones. */
  private validTop(queue: DueHeap): DueEntry | undefined {
    for (let top = queue.peek(); top; top = queue.peek()) {
      const d = this.byId.get(top.id);
      if (d && d.status === 'pending' && d.nextAttemptAt === top.at && !this.leases.has(d.id) && (d.orderingKey === undefined || this.ordering.isClaimableHead(d))) {
        return top;
      }
      queue.pop();
    }
    return undefined;
  }
}
