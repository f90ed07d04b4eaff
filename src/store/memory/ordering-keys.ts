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

const keyOf = (d: Delivery): string => orderingLeaseKey(d.hubId, d.orderingKey as string);

/**
 * Per-key ordering in the embedded outbox: which unfinished deliveries each (hubId, orderingKey)
 * holds, which of them holds the key, and so which one (if any) may be claimed. Only deliveries with
 * an orderingKey are ever passed in: unordered ones never touch this bookkeeping. Heap entries are
 * checked when they surface (the record is looked up by id), so a finished or deleted delivery needs
 * no heap surgery; a key left with nothing is forgotten.
 */
export class OrderingKeys {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly byId: ReadonlyMap<string, Delivery>) {}

  /** An unfinished delivery takes its place in its key: by sequence, or holding the key until it has one. */
  join(d: Delivery): void {
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

  /** The head of d's key when it may be claimed now (to file in its hub's queue); forgets a key that holds nothing. */
  headOf(d: Delivery): Delivery | undefined {
    const key = keyOf(d);
    const state = this.keys.get(key);
    if (!state) return undefined;
    const head = this.claimableHead(state);
    if (!head && state.leased.size === 0 && state.unsequenced.size === 0 && !this.firstOf(state)) this.keys.delete(key);
    return head;
  }

  /** Whether d is its key's claimable head (a queue entry of an ordered delivery is valid only then). */
  isClaimableHead(d: Delivery): boolean {
    const state = this.keys.get(keyOf(d));
    return state !== undefined && this.claimableHead(state) === d;
  }

  /** d was leased: its key is held until the lease ends. */
  leased(d: Delivery): void {
    this.keys.get(keyOf(d))?.leased.add(d.id);
  }

  /** d's lease ended (completed, postponed, released, run out or deleted). */
  unleased(d: Delivery): void {
    this.keys.get(keyOf(d))?.leased.delete(d.id);
  }

  /** d left the store: if it held its key without a sequence, it holds it no more (its heap entry goes stale by itself). */
  removed(d: Delivery): void {
    this.keys.get(keyOf(d))?.unsequenced.delete(d.id);
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
