/** One attempt as the statistics need it. */
export interface AttemptSample {
  /** ISO date-time the attempt started. */
  at: string;
  durationMs: number;
  outcome: 'delivered' | 'failed';
}

export interface StatsPoint {
  /** Start of the bucket. */
  at: string;
  delivered: number;
  failed: number;
  /** Attempt duration percentiles of the bucket (ms); absent for an empty bucket. */
  p50Ms?: number;
  p99Ms?: number;
}

export interface HubStats {
  from: string;
  to: string;
  bucketSeconds: number;
  points: StatsPoint[];
  delivered: number;
  failed: number;
}

/** Buckets are a minute at least; a window longer than an hour gets 60 wider ones. */
export function bucketMsFor(windowMs: number): number {
  return Math.max(60_000, Math.ceil(windowMs / 60 / 60_000) * 60_000);
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * A hub's attempts over the window ending at `now`, per bucket (the last bucket is the one `now` is
 * in; buckets align to whole minutes): delivered and failed counts, p50 and p99 duration. Pure.
 */
export function hubStats(attempts: readonly AttemptSample[], now: number, windowMs: number): HubStats {
  const bucketMs = bucketMsFor(windowMs);
  const count = Math.ceil(windowMs / bucketMs);
  const lastStart = Math.floor(now / bucketMs) * bucketMs;
  const firstStart = lastStart - (count - 1) * bucketMs;
  const buckets = Array.from({ length: count }, () => ({ delivered: 0, failed: 0, durations: [] as number[] }));
  for (const attempt of attempts) {
    const at = Date.parse(attempt.at);
    if (Number.isNaN(at) || at < firstStart || at > now) continue;
    const bucket = buckets[Math.floor((at - firstStart) / bucketMs)];
    bucket[attempt.outcome === 'delivered' ? 'delivered' : 'failed']++;
    bucket.durations.push(attempt.durationMs);
  }
  const points = buckets.map((b, i): StatsPoint => {
    const sorted = b.durations.sort((x, y) => x - y);
    return {
      at: new Date(firstStart + i * bucketMs).toISOString(),
      delivered: b.delivered,
      failed: b.failed,
      ...(sorted.length ? { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) } : {}),
    };
  });
  return {
    from: new Date(firstStart).toISOString(),
    to: new Date(now).toISOString(),
    bucketSeconds: bucketMs / 1000,
    points,
    delivered: points.reduce((n, p) => n + p.delivered, 0),
    failed: points.reduce((n, p) => n + p.failed, 0),
  };
}
