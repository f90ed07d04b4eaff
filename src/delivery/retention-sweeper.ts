import type { Logger } from '../logger';
import { PeriodicTask } from './periodic-task';

export interface RetentionConfig {
  /** What the sweep deletes, for its log lines: "finished deliveries", "events". */
  what: string;
  /** Deleted this long after their time (finished, stored). */
  retentionMs: number;
  /** Deleted per store call, so one sweep never holds the store for long. */
  batchSize?: number;
}

export interface RetentionDeps {
  /** Deletes up to `limit` of what is older than `cutoff` (ms); how many went. */
  deleteBefore: (cutoff: number, limit: number) => Promise<number>;
  logger: Logger;
  now?: () => number;
}

/** A sweep runs this often: a tenth of the retention, between 1 s and 1 h. */
export const sweepInterval = (retentionMs: number): number => Math.max(1000, Math.min(retentionMs / 10, 3_600_000));

/**
 * Keeps a store from growing without end: deletes, in batches, what is older than the retention:
 * delivered and dead deliveries counted from when they finished (HUB_DELIVERY_RETENTION; pending
 * ones are never touched), events counted from when they were stored (HUB_EVENT_RETENTION).
 * Several processes may sweep the same store; the deletes are idempotent.
 */
export class RetentionSweeper {
  private readonly task: PeriodicTask<number>;
  private readonly batchSize: number;

  constructor(
    private readonly config: RetentionConfig,
    private readonly deps: RetentionDeps,
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

  /** One sweep (never two at once); resolves to how many it deleted. */
  sweep(): Promise<number> {
    return this.task.run();
  }

  private async deleteExpired(): Promise<number> {
    const cutoff = (this.deps.now ?? Date.now)() - this.config.retentionMs;
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.deps.deleteBefore(cutoff, this.batchSize);
        total += deleted;
        if (deleted < this.batchSize) break;
      }
    } catch (err) {
      this.deps.logger.warn(`${this.config.what}: retention sweep failed; will retry at the next one`, { err, deletedSoFar: total });
    }
    if (total > 0) this.deps.logger.info(`deleted ${this.config.what} past their retention`, { deleted: total, retentionMs: this.config.retentionMs });
    return total;
  }
}
