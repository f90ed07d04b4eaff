import { PublishQuota } from '../../src/access/publish-quota';

const T = 1_000_000;

/** How many takes succeed in a row at `now`. */
const drain = (quota: PublishQuota, who: string, perSecond: number, now: number) => {
  let taken = 0;
  while (quota.take(who, perSecond, now) === 0) taken++;
  return taken;
};

describe('PublishQuota', () => {
  it('should allow a burst of one second, then one per 1/rate, with Retry-After in whole seconds', () => {
    const quota = new PublishQuota();
    expect(drain(quota, 'a', 5, T)).toBe(5);
    expect(quota.take('a', 5, T)).toBe(1);
    expect(quota.take('a', 5, T + 199)).toBe(1);
    expect(quota.take('a', 5, T + 200)).toBe(0);
    expect(quota.take('a', 5, T + 200)).toBe(1);
  });

  it.each<[string, number, number, number]>([
    // rate, ms after emptying, publishes then allowed
    ['half a second at 10/s', 10, 500, 5],
    ['three seconds at 10/s: capped at one second\'s worth', 10, 3000, 10],
    ['a tenth of a second at 5/s', 5, 100, 0],
    ['four seconds at 0.5/s: never more than one at once', 0.5, 4000, 1],
    ['a second at 1000/s', 1000, 1000, 1000],
  ])('should refill %s', (_case, perSecond, elapsed, allowed) => {
    const quota = new PublishQuota();
    drain(quota, 'a', perSecond, T);
    expect(drain(quota, 'a', perSecond, T + elapsed)).toBe(allowed);
  });

  it.each<[string, number, number]>([
    ['at 0.5/s a refused publish waits 2 s', 0.5, 2],
    ['at 0.1/s it waits 10 s', 0.1, 10],
    ['at 100/s it waits the minimum, 1 s', 100, 1],
  ])('should say %s', (_case, perSecond, retryAfter) => {
    const quota = new PublishQuota();
    drain(quota, 'a', perSecond, T);
    expect(quota.take('a', perSecond, T)).toBe(retryAfter);
  });

  it('should keep principals apart', () => {
    const quota = new PublishQuota();
    drain(quota, 'a', 2, T);
    expect(quota.take('a', 2, T)).toBe(1);
    expect(drain(quota, 'b', 2, T)).toBe(2);
  });

  it('should follow a rate given per take (several processes share it: rate / processes)', () => {
    const quota = new PublishQuota();
    expect(drain(quota, 'a', 10 / 2, T)).toBe(5);
    // A process left: the same bucket refills at the whole rate from now on, capped at its new second.
    expect(drain(quota, 'a', 10, T + 500)).toBe(5);
    // More processes: a full bucket is cut to the smaller second's worth.
    expect(drain(quota, 'a', 10 / 4, T + 10_000)).toBe(2);
  });

  it('should not refill when the clock goes back, nor move the bucket back', () => {
    const quota = new PublishQuota();
    drain(quota, 'a', 2, T);
    expect(quota.take('a', 2, T - 5000)).toBe(1);
    expect(quota.take('a', 2, T + 499)).toBe(1);
    expect(quota.take('a', 2, T + 500)).toBe(0);
  });

  it('should start afresh for a principal it forgot', () => {
    const quota = new PublishQuota();
    drain(quota, 'a', 3, T);
    quota.forget('a');
    expect(drain(quota, 'a', 3, T)).toBe(3);
  });
});
