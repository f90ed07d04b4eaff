import { RateLimiter } from '../../src/delivery/rate-limiter';

const T = 1_000_000;

describe('RateLimiter', () => {
  it('should let a full second\'s worth through at once, then one per 1/rate', () => {
    const limiter = new RateLimiter();
    const limit = { perSecond: 4 };
    expect([0, 1, 2, 3].map(() => limiter.take('h', limit, T))).toEqual([0, 0, 0, 0]);
    expect(limiter.take('h', limit, T)).toBe(250);
    expect(limiter.take('h', limit, T + 100)).toBe(150);
    expect(limiter.take('h', limit, T + 250)).toBe(0);
    expect(limiter.take('h', limit, T + 250)).toBe(250);
  });

  it.each<[string, number, number, number]>([
    // rate, elapsed ms after emptying, tokens expected to be available (whole)
    ['half a second at 10/s', 10, 500, 5],
    ['two seconds at 10/s: capped at one second\'s worth', 10, 2000, 10],
    ['a tenth of a second at 5/s', 5, 100, 0],
    ['one second at 0.5/s: never more than one', 0.5, 4000, 1],
  ])('should refill %s', (_case, perSecond, elapsed, expected) => {
    const limiter = new RateLimiter();
    const limit = { perSecond };
    while (limiter.take('h', limit, T) === 0);
    expect(limiter.budgets(T + elapsed).get('h')).toBe(expected);
  });

  it('should keep hubs apart, and leave a hub without a limit alone', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', { perSecond: 1 }, T)).toBe(0);
    expect(limiter.take('a', { perSecond: 1 }, T)).toBe(1000);
    expect(limiter.take('b', { perSecond: 1 }, T)).toBe(0);
    for (let i = 0; i < 100; i++) expect(limiter.take('free', undefined, T)).toBe(0);
    expect([...limiter.budgets(T).keys()].sort()).toEqual(['a', 'b']);
  });

  it('should forget a hub whose limit was removed', () => {
    const limiter = new RateLimiter();
    limiter.take('a', { perSecond: 1 }, T);
    limiter.take('a', undefined, T);
    expect(limiter.budgets(T).has('a')).toBe(false);
  });

  it('should keep to its share when several processes deliver', () => {
    const limiter = new RateLimiter();
    limiter.setShare(2);
    const limit = { perSecond: 10 };
    let taken = 0;
    while (limiter.take('h', limit, T) === 0) taken++;
    expect(taken).toBe(5);
    expect(limiter.take('h', limit, T)).toBe(200);
  });

  it('should not go backwards when the clock does', () => {
    const limiter = new RateLimiter();
    const limit = { perSecond: 2 };
    limiter.take('h', limit, T);
    limiter.take('h', limit, T);
    expect(limiter.take('h', limit, T - 5000)).toBeGreaterThan(0);
  });
});

describe('RateLimiter over time', () => {
  it('should keep refilling at the hub\'s rate however often budgets are read (a share never compounds)', () => {
    const limiter = new RateLimiter();
    limiter.setShare(2);
    const limit = { perSecond: 10 };
    while (limiter.take('h', limit, T) === 0);
    for (let ms = 0; ms < 500; ms += 10) limiter.budgets(T + ms);
    // Each process refills at 5/s: half a second later it has 2 whole tokens, a little over a second later it is full (5).
    expect(limiter.budgets(T + 500).get('h')).toBe(2);
    expect(limiter.budgets(T + 1100).get('h')).toBe(5);
  });
});
