/**
 * The embedded store's record of one group of live processes (delivery workers, API processes):
 * several app instances may share one store, and a rate is split between those alive.
 */
export class Heartbeats {
  /** Process -> when it last said it was alive (ms). */
  private readonly seen = new Map<string, number>();

  /** Records that `owner` is alive at `now`; how many were alive within the last `aliveMs` (it included). Forgets the stale. */
  beat(owner: string, now: number, aliveMs: number): number {
    this.seen.set(owner, now);
    let alive = 0;
    for (const [worker, at] of this.seen) {
      if (at > now - aliveMs) alive++;
      else this.seen.delete(worker);
    }
    return alive;
  }
}
