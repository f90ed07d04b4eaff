import type { Logger } from '../logger';
import type { DeliveryStore } from '../store/delivery-types';
import { PeriodicTask } from './periodic-task';

export interface RetentionConfig {
  /** Delivered and dead deliveries are deleted this long after they finished. */
  retentionMs: number;
  /** Deleted per store call, so one sweep never holds the store for long. */
  batchSize?: number;
}

/** A sweep runs this often: a tenth of the retention, between 1 s and 1 h. */
export const sweepInterval = (retentionMs: number): number => Math.max(1000, Math.min(retentionMs / 10, 3_600_000));

/**
 * Keeps the outbox from growing without end: deletes delivered and dead deliveries older than the
 * retention (counted from when they finished). Pending deliveries are never touched. Several
 * processes may sweep the same store; the deletes are idempotent.
 */
export class RetentionSweeper {
  private readonly task: PeriodicTask<number>;
  private readonly batchSize: number;

  constructor(
    private readonly config: RetentionConfig,
    private readonly deps: { store: Pick<DeliveryStore, 'deleteFinishedBefore'>; logger: Logger; now?: () => number },
  ) {
    this.batchSize = config.batchSize ?? 1000;
    this.task = new PeriodicTask(sweepInterval(config.retentionMs), () => this.deleteExpired());
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One sweep (never two at once); resolves to how many deliveries it deleted. */
  sweep(): Promise<number> {
    return this.task.run();
  }

  private async deleteExpired(): Promise<number> {
    const cutoff = (this.deps.now ?? Date.now)() - this.config.retentionMs;
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.deps.store.deleteFinishedBefore(cutoff, this.batchSize);
        total += deleted;
        if (deleted < this.batchSize) break;
      }
    } catch (err) {
      this.deps.logger.warn('retention sweep failed; will retry at the next one', { err, deletedSoFar: total });
    }
    if (total > 0) this.deps.logger.info('deleted finished deliveries past their retention', { deleted: total, retentionMs: this.config.retentionMs });
    return total;
  }
}
