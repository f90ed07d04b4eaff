export interface Retention {
  /** Deletes up to `limit` of what is older than `cutoff` (ms); how many went. */
  deleteBefore: (cutoff: number, limit: number) => Promise<number>;
  /** Deleted this long after their time (finished, stored). */
  retentionMs: number;
  now: number;
  /** Deleted per store call, so one sweep never holds the store for long. */
  batchSize?: number;
}

/** A retention sweep runs this often: a tenth of the retention, between 1 s and 1 h. */
export const retentionSweepInterval = (retentionMs: number): number => Math.max(1000, Math.min(retentionMs / 10, 3_600_000));

/**
 * Keeps a store from growing without end: deletes, in batches, what is older than the retention
 * (delivered and dead deliveries counted from when they finished, HUB_DELIVERY_RETENTION; events
 * from when they were stored, HUB_EVENT_RETENTION; audit records likewise, HUB_AUDIT_RETENTION). Several processes may sweep the same store; the
 * deletes are idempotent. Answers how many it deleted.
 */
export async function deleteExpired(retention: Retention): Promise<number> {
  const cutoff = retention.now - retention.retentionMs;
  const batchSize = retention.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const deleted = await retention.deleteBefore(cutoff, batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
