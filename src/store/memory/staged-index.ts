import type { Delivery } from '../delivery-types';

/**
 * The embedded outbox's staged deliveries by event (eventResourceId): releasing or deleting an
 * event's costs what the event has, not the whole outbox. Entries may go stale (a record deleted or
 * released some other way): readers check each against the records held.
 */
export class StagedIndex {
  private readonly byEvent = new Map<string, Set<Delivery>>();

  add(d: Delivery): void {
    let ofEvent = this.byEvent.get(d.eventResourceId);
    if (!ofEvent) this.byEvent.set(d.eventResourceId, (ofEvent = new Set()));
    ofEvent.add(d);
  }

  /** The event's staged records, forgotten here: the caller releases them. */
  take(eventResourceId: string): ReadonlySet<Delivery> | undefined {
    const ofEvent = this.byEvent.get(eventResourceId);
    if (ofEvent) this.byEvent.delete(eventResourceId);
    return ofEvent;
  }

  /** The event's records are gone (deleted with the event). */
  forget(eventResourceId: string): void {
    this.byEvent.delete(eventResourceId);
  }

  /** Every indexed record, event by event (stale ones included). */
  *all(): IterableIterator<Delivery> {
    for (const ofEvent of this.byEvent.values()) yield* ofEvent;
  }
}
