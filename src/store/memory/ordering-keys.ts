import type { Delivery } from '../delivery-types';
import { isFinished } from '../delivery-transitions';
import { orderingLeaseKey } from '../ordering-lease-key';
import { DueHeap } from './due-heap';

/** One ordering key of one hub: its unfinished deliveries by sequence, those still without one, and those leased. */
interface KeyState {
  bySequence: DueHeap;
  unsequenced: Set<string>;
  leased: Set<string>;
}

/**
 * Per-key ordering in the embedded outbox: which unfinished deliveries each (hubId, orderingKey)
 * holds, which of them holds the key, and so which one (if any) may be claimed. Every branch on
 * ordering is here: the store tells it of each change, and an unordered delivery (no orderingKey)
 * returns at once, never touching this bookkeeping. Heap entries are checked when they surface (the
 * record is looked up by id), so a finished or deleted delivery needs no heap surgery; a key left
 * with nothing is forgotten.
 */
export class OrderingKeys {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly byId: ReadonlyMap<string, Delivery>) {}

  /** An unfinished delivery takes its place in its key: by sequence, or holding the key until it has one. */
  join(d: Delivery): void {
    if (d.orderingKey === undefined) return;
    const key = orderingLeaseKey(d.hubId, d.orderingKey);
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { bySequence: new DueHeap(), unsequenced: new Set(), leased: new Set() }));
    if (d.sequence === undefined) {
      state.unsequenced.add(d.id);
    } else {
      state.unsequenced.delete(d.id);
      state.bySequence.push(d.id, d.sequence);
    }
  }

  /**
   * What to file in the hub's queue now that d changed (inserted, released, completed, given back):
   * an unordered d itself while it is pending; for an ordered one its key's head, if it may be
   * claimed now (a key that holds nothing any more is forgotten).
   */
  nextToFile(d: Delivery): Delivery | undefined {
    if (d.orderingKey === undefined) return d.status === 'pending' ? d : undefined;
    const key = orderingLeaseKey(d.hubId, d.orderingKey);
    const state = this.keys.get(key);
    if (!state) return undefined;
    const head = this.claimableHead(state);
    if (!head && state.leased.size === 0 && state.unsequenced.size === 0 && !this.firstOf(state)) this.keys.delete(key);
    return head;
  }

  /** Whether an ordered d is its key's claimable head (its queue entry is valid only then). */
  isClaimableHead(d: Delivery): boolean {
    const state = this.stateOf(d);
    return state !== undefined && this.claimableHead(state) === d;
  }

  /** d was leased: its key is held until the lease ends. */
  leased(d: Delivery): void {
    this.stateOf(d)?.leased.add(d.id);
  }

  /** d's lease ended (completed, postponed, released, run out or deleted). */
  unleased(d: Delivery): void {
    this.stateOf(d)?.leased.delete(d.id);
  }

  /**
   * d left the store: if it held its key (leased, or without a sequence) it holds it no more, and its
   * heap entry goes stale by itself. What to file now: the key's next head, if it may be claimed.
   */
  removed(d: Delivery): Delivery | undefined {
    const state = this.stateOf(d);
    if (!state) return undefined;
    state.leased.delete(d.id);
    state.unsequenced.delete(d.id);
    return this.nextToFile(d);
  }

  /** The bookkeeping of d's key; none for an unordered d (or a key forgotten). */
  private stateOf(d: Delivery): KeyState | undefined {
    return d.orderingKey === undefined ? undefined : this.keys.get(orderingLeaseKey(d.hubId, d.orderingKey));
  }

  /** The key's unfinished delivery with the lowest sequence (stale heap entries dropped). */
  private firstOf(state: KeyState): Delivery | undefined {
    for (let top = state.bySequence.peek(); top; top = state.bySequence.peek()) {
      const d = this.byId.get(top.id);
      if (d && !isFinished(d) && d.sequence === top.at) return d;
      state.bySequence.pop();
    }
    return undefined;
  }

  /** The key's head when it may be claimed: pending, and nothing of the key leased or still without a sequence. */
  private claimableHead(state: KeyState): Delivery | undefined {
    if (state.leased.size > 0 || state.unsequenced.size > 0) return undefined;
    const head = this.firstOf(state);
    return head?.status === 'pending' ? head : undefined;
  }
}
