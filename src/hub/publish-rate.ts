import { PublishQuota } from '../access/publish-quota';
import type { Principal } from '../access/principal';
import { TooManyRequestsError } from '../errors';

/**
 * Each principal's publishPerSecond in this process: a token bucket per principal (PublishQuota)
 * at its rate divided by the hub processes serving the API, so that together they keep roughly to
 * it (each process learns how many there are from its heartbeat, see compose-hub). Checked before
 * anything is read or written: a publish past the rate is a 429 that costs the store nothing.
 */
export class PublishRate {
  private readonly buckets = new PublishQuota();
  private processes = 1;

  constructor(private readonly now: () => number = Date.now) {}

  /** How many processes the quotas are shared among now. */
  get sharedBy(): number {
    return this.processes;
  }

  /** How many hub processes serve the API (this one included), as the last heartbeat counted them. */
  shareAmong(processes: number): void {
    this.processes = Number.isFinite(processes) && processes >= 1 ? Math.floor(processes) : 1;
  }

  /** Takes one publish of `actor`; throws the 429 with Retry-After when it is past its rate. No actor, or no quota: no limit. */
  take(actor: Principal | undefined): void {
    const rate = actor?.quota.publishPerSecond;
    if (rate === undefined) return;
    const wait = this.buckets.take(actor!.name, rate / this.processes, this.now());
    if (wait === 0) return;
    const shared = this.processes > 1 ? `, shared by ${this.processes} hub processes` : '';
    throw new TooManyRequestsError(`The client ${actor!.name} publishes faster than its quota of ${rate} events per second${shared}: retry after ${wait} s`, wait);
  }
}
