import type { Principal } from '../../src/access/principal';
import { TooManyRequestsError } from '../../src/errors';
import { PublishRate } from '../../src/hub/publish-rate';

const client = (publishPerSecond?: number, name = 'order-manager'): Principal => ({
  name,
  roles: ['publisher'],
  quota: publishPerSecond === undefined ? {} : { publishPerSecond },
  authenticatedBy: 'key',
});

/** Takes `count` publishes at the clock's time: how many passed, and the last refusal. */
function burst(rate: PublishRate, actor: Principal | undefined, count: number): { passed: number; refusal?: TooManyRequestsError } {
  let passed = 0;
  let refusal: TooManyRequestsError | undefined;
  for (let i = 0; i < count; i++) {
    try {
      rate.take(actor);
      passed++;
    } catch (err) {
      if (!(err instanceof TooManyRequestsError)) throw err;
      refusal = err;
    }
  }
  return { passed, refusal };
}

describe('PublishRate', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it.each<[string, Principal | undefined, number, number, number]>([
    ['no actor (the hub itself)', undefined, 1, 50, 50],
    ['a client without a quota', client(), 1, 50, 50],
    ['a client at 5 per second: a burst of one second', client(5), 1, 8, 5],
    ['a client at 5 per second over two processes: each takes half', client(5), 2, 8, 2],
    ['a client at 0.5 per second: one at a time', client(0.5), 1, 3, 1],
  ])('should let %s publish %#', (_case, actor, processes, tried, passed) => {
    const rate = new PublishRate(clock);
    rate.shareAmong(processes);
    expect(burst(rate, actor, tried).passed).toBe(passed);
  });

  it('should refuse with a 429 TMF Error, Retry-After in whole seconds, and no secret in it', () => {
    const rate = new PublishRate(clock);
    const { refusal } = burst(rate, client(0.5), 2);
    expect({ status: refusal?.status, code: refusal?.code, headers: refusal?.headers }).toEqual({ status: 429, code: 'TooManyRequests', headers: { 'Retry-After': '2' } });
    expect(refusal?.message).toBe('The client order-manager publishes faster than its quota of 0.5 events per second: retry after 2 s');
  });

  it('should say the quota is shared when several processes serve the API', () => {
    const rate = new PublishRate(clock);
    rate.shareAmong(3);
    expect(rate.sharedBy).toBe(3);
    expect(burst(rate, client(3), 2).refusal?.message).toMatch(/quota of 3 events per second, shared by 3 hub processes/);
  });

  it('should refill at the rate, and keep each client apart', () => {
    const rate = new PublishRate(clock);
    expect(burst(rate, client(2), 3).passed).toBe(2);
    expect(burst(rate, client(2, 'billing'), 2).passed).toBe(2);
    now += 500;
    expect(burst(rate, client(2), 2).passed).toBe(1);
  });

  it.each([0, -1, 0.5, Number.NaN])('should count %p live processes as one', (processes) => {
    const rate = new PublishRate(clock);
    rate.shareAmong(processes);
    expect(rate.sharedBy).toBe(1);
  });
});
