/**
 * Publish quotas per principal: a token bucket each, refilled at the principal's publishPerSecond
 * and holding at most one second's worth (at least one token), so a client may burst a second's
 * publishes and then keeps to its rate. Pure arithmetic over the clock it is given.
 *
 * The rate is given on every take, not stored: with several hub processes each takes
 * publishPerSecond / (live processes), so together they keep roughly to the rate, and a change in
 * the number of processes (or in the clients file) applies at the next publish.
 */
interface Bucket {
  tokens: number;
  /** When tokens was last brought up to date (ms). */
  at: number;
}

export class PublishQuota {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes one publish for `principal` at `now` (ms) under `perSecond`: 0 when it may publish, else
   * the whole seconds to wait (at least 1), for Retry-After; nothing is taken then.
   */
  take(principal: string, perSecond: number, now: number): number {
    const capacity = Math.max(1, perSecond);
    let bucket = this.buckets.get(principal);
    if (!bucket) {
      bucket = { tokens: capacity, at: now };
      this.buckets.set(principal, bucket);
    }
    // A clock that steps back refills nothing (and does not move the bucket back).
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    bucket.at = Math.max(bucket.at, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }

  /** Forgets a principal's bucket (its quota was removed). */
  forget(principal: string): void {
    this.buckets.delete(principal);
  }
}
