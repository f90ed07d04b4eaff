/** Failed polls back off up to this, unless the interval is longer (then to the interval). */
export const MAX_BACKOFF_MS = 10 * 60 * 1000;

/**
 * How long after a poll the next one is due: the interval, or after `failures` failures in a row,
 * the interval doubled per failure up to MAX_BACKOFF_MS (never below the interval). Pure.
 */
export function pollDelay(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** Math.min(failures, 30), Math.max(intervalMs, MAX_BACKOFF_MS));
}
