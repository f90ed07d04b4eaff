import type { Delivery, DeliveryStore } from '../store/delivery-types';

export interface StagedSweep {
  store: Pick<DeliveryStore, 'listStaged' | 'releaseStaged' | 'deleteByEvent'>;
  /**
   * Whether the publish (or topic change) that staged a delivery finished, with the sequence it
   * took: its records are released; undefined when it never did: they are deleted.
   */
  outcome(delivery: Delivery): Promise<{ sequence?: number } | undefined>;
  /** A staged record older than this is settled: its publish has finished one way or the other. */
  graceMs: number;
  now: number;
  /** Staged records read per store call. */
  batchSize?: number;
}

/** A sweep runs this often: half the grace, between 1 s and 1 min (shorter graces, as in tests, sweep at the grace). */
export const stagedSweepInterval = (graceMs: number): number => Math.min(60_000, Math.max(Math.min(1000, graceMs), graceMs / 2));

/**
 * Settles what a publish left staged when its process died between writing the outbox records and
 * releasing them: an event that was stored gets its deliveries (released), one that never was gets
 * none (deleted). Idempotent, so every worker process may sweep. Answers how many it released and deleted.
 */
export async function sweepStaged(sweep: StagedSweep): Promise<{ released: number; deleted: number }> {
  const settled = { released: 0, deleted: 0 };
  const batchSize = sweep.batchSize ?? 500;
  for (;;) {
    const staged = await sweep.store.listStaged(sweep.now - sweep.graceMs, batchSize);
    for (const [eventResourceId, first] of byEvent(staged)) {
      const outcome = await sweep.outcome(first);
      if (outcome) settled.released += await sweep.store.releaseStaged(eventResourceId, outcome.sequence);
      else settled.deleted += await sweep.store.deleteByEvent(eventResourceId);
    }
    if (staged.length < batchSize) return settled;
  }
}

function byEvent(deliveries: readonly Delivery[]): Map<string, Delivery> {
  const events = new Map<string, Delivery>();
  for (const d of deliveries) if (!events.has(d.eventResourceId)) events.set(d.eventResourceId, d);
  return events;
}
