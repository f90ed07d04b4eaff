import type { Logger } from '../logger';
import type { Delivery, DeliveryStore } from '../store/delivery-types';
import { PeriodicTask } from './periodic-task';

export interface StagedSweeperConfig {
  /** A staged record older than this is settled: its publish has finished one way or the other. */
  graceMs: number;
  /** Staged records read per store call. */
  batchSize?: number;
}

export interface StagedSweeperDeps {
  store: Pick<DeliveryStore, 'listStaged' | 'releaseStaged' | 'deleteByEvent'>;
  /** Whether the event a staged record was written for is stored, and its sequence: undefined when it is not. */
  eventStored: (topicId: string, eventResourceId: string) => Promise<{ sequence?: number } | undefined>;
  logger: Logger;
  now?: () => number;
}

/** A sweep runs this often: half the grace, between 1 s and 1 min (shorter graces, as in tests, sweep at the grace). */
export const stagedSweepInterval = (graceMs: number): number => Math.min(60_000, Math.max(Math.min(1000, graceMs), graceMs / 2));

/**
 * Settles what a publish left staged when its process died between writing the outbox records and
 * releasing them: an event that was stored gets its deliveries (released), one that never was gets
 * none (deleted). Idempotent, so every worker process may sweep.
 */
export class StagedSweeper {
  private readonly task: PeriodicTask<{ released: number; deleted: number }>;
  private readonly batchSize: number;

  constructor(
    private readonly config: StagedSweeperConfig,
    private readonly deps: StagedSweeperDeps,
  ) {
    this.batchSize = config.batchSize ?? 500;
    this.task = new PeriodicTask(stagedSweepInterval(config.graceMs), () => this.settle());
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One sweep (never two at once): how many staged records it released and deleted. */
  sweep(): Promise<{ released: number; deleted: number }> {
    return this.task.run();
  }

  private async settle(): Promise<{ released: number; deleted: number }> {
    const settled = { released: 0, deleted: 0 };
    try {
      const before = (this.deps.now ?? Date.now)() - this.config.graceMs;
      for (;;) {
        const staged = await this.deps.store.listStaged(before, this.batchSize);
        for (const [eventResourceId, first] of byEvent(staged)) {
          const stored = await this.deps.eventStored(first.topicId, eventResourceId);
          if (stored) settled.released += await this.deps.store.releaseStaged(eventResourceId, stored.sequence);
          else settled.deleted += await this.deps.store.deleteByEvent(eventResourceId);
        }
        if (staged.length < this.batchSize) break;
      }
    } catch (err) {
      this.deps.logger.warn('staged outbox sweep failed; will retry at the next one', { err, ...settled });
    }
    if (settled.released + settled.deleted > 0) this.deps.logger.info('settled staged deliveries left by an interrupted publish', settled);
    return settled;
  }
}

function byEvent(deliveries: readonly Delivery[]): Map<string, Delivery> {
  const events = new Map<string, Delivery>();
  for (const d of deliveries) if (!events.has(d.eventResourceId)) events.set(d.eventResourceId, d);
  return events;
}
