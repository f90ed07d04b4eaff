/** A hub's rate limit as its subscription states it: attempts per second, bursts up to one second's worth. */
export interface RateLimit {
  perSecond: number;
}

interface Bucket {
  tokens: number;
  /** When tokens was last brought up to date (ms). */
  at: number;
  /** The hub's whole rate; this process refills at its share of it. */
  limit: RateLimit;
}

/**
 * Token buckets per hub, for this process's share of each hub's rate. A bucket holds at most one
 * second's worth of tokens and starts full; each attempt takes one. Pure arithmetic over the clock
 * it is given, so it is table-tested without waiting.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Worker processes sharing each hub's rate: each takes rate / share (approximate across processes). */
  private share = 1;

  /** Several processes deliver: each keeps to its part of every hub's rate. */
  setShare(processes: number): void {
    this.share = Math.max(1, processes);
  }

  /**
   * Takes a token for an attempt to `hubId` at `now`: 0 when one was there, else the ms until one
   * will be (and nothing is taken). A hub without a limit always gets 0.
   */
  take(hubId: string, limit: RateLimit | undefined, now: number): number {
    if (!limit) {
      this.buckets.delete(hubId);
      return 0;
    }
    const bucket = this.refill(hubId, limit, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.rateOf(bucket.limit)) * 1000);
  }

  /** How many attempts each limited hub may start now (whole tokens): what a claim may take of it. */
  budgets(now: number): Map<string, number> {
    const budgets = new Map<string, number>();
    for (const [hubId, bucket] of this.buckets) budgets.set(hubId, Math.floor(this.refill(hubId, bucket.limit, now).tokens));
    return budgets;
  }

  /** This process's part of a hub's rate. */
  private rateOf(limit: RateLimit): number {
    return limit.perSecond / this.share;
  }

  private refill(hubId: string, limit: RateLimit, now: number): Bucket {
    const perSecond = this.rateOf(limit);
    let bucket = this.buckets.get(hubId);
    if (!bucket) {
      bucket = { tokens: perSecond, at: now, limit };
      this.buckets.set(hubId, bucket);
    }
    bucket.limit = limit;
    const capacity = Math.max(1, perSecond);
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }
}
