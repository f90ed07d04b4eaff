import { decideRetry, JITTER, parseRetryAfter, type RetryInput } from '../../src/delivery/retry-policy';

const SCHEDULE: readonly number[] = [1_000, 10_000, 60_000];
const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const CAP = 300_000;

function input(overrides: Partial<RetryInput> = {}): RetryInput {
  return { failures: 1, schedule: SCHEDULE, retryAfterCapMs: CAP, now: NOW, random: 0.5, ...overrides };
}

/** An HTTP-date `ms` after NOW (whole seconds, as the format allows). */
function httpDate(ms: number): string {
  return new Date(NOW + ms).toUTCString();
}

describe('decideRetry', () => {
  it('should use a ±20% jitter', () => {
    expect(JITTER).toBe(0.2);
  });

  describe('delivered', () => {
    it.each<[number, number]>([
      [200, 1],
      [201, 1],
      [204, 2],
      [299, 3],
      [200, 4],
      [204, 100],
      [299, 0],
    ])('should give delivered for status %p with failures %p', (status, failures) => {
      expect(decideRetry(input({ status, failures }))).toEqual({ kind: 'delivered' });
    });

    it('should give delivered even with an empty schedule', () => {
      expect(decideRetry(input({ status: 200, failures: 1, schedule: [] }))).toEqual({ kind: 'delivered' });
    });
  });

  describe('gone', () => {
    it.each<[number]>([[1], [3], [4], [50]])('should give gone for 410 with failures %p', (failures) => {
      expect(decideRetry(input({ status: 410, failures }))).toEqual({ kind: 'gone' });
    });

    it('should give gone for 410 with an empty schedule', () => {
      expect(decideRetry(input({ status: 410, schedule: [] }))).toEqual({ kind: 'gone' });
    });
  });

  describe('retry and dead', () => {
    const FAILING: ReadonlyArray<[string, number | undefined]> = [
      ['a network error (no status)', undefined],
      ['500', 500],
      ['302', 302],
      ['404', 404],
      ['199', 199],
      ['300', 300],
      ['429 without Retry-After', 429],
      ['503 without Retry-After', 503],
    ];

    describe.each(FAILING)('for %s', (_label, status) => {
      it.each<[number, number]>([
        [1, 1_000],
        [2, 10_000],
        [3, 60_000],
      ])('should retry after failure %p with the scheduled delay %p (random 0.5)', (failures, delay) => {
        expect(decideRetry(input({ status, failures, random: 0.5 }))).toEqual({ kind: 'retry', delayMs: delay });
      });

      it.each<[number]>([[4], [5], [100]])('should give dead once failures (%p) exceed the schedule', (failures) => {
        expect(decideRetry(input({ status, failures }))).toEqual({ kind: 'dead' });
      });

      it('should give dead at the first failure with an empty schedule', () => {
        expect(decideRetry(input({ status, failures: 1, schedule: [] }))).toEqual({ kind: 'dead' });
      });
    });

    it.each<[number, number, number]>([
      // random, base, expected delay = round(base * (0.8 + 0.4 * random))
      [0, 1_000, 800],
      [0.5, 1_000, 1_000],
      [0.25, 1_000, 900],
      [0.75, 10_000, 11_000],
      [0, 10_000, 8_000],
      [0, 60_000, 48_000],
      [0.5, 60_000, 60_000],
      [0.999999, 1_000, 1_200],
      [0.123, 777, Math.round(777 * (0.8 + 0.4 * 0.123))],
    ])('should jitter with random %p on a base of %p to %p', (random, base, expected) => {
      const decision = decideRetry(input({ status: 500, failures: 1, schedule: [base], random }));
      expect(decision).toEqual({ kind: 'retry', delayMs: expected });
    });

    it('should stay just under 120% for random 0.999999', () => {
      const base = 1_000_000_000;
      const decision = decideRetry(input({ status: 500, failures: 1, schedule: [base], random: 0.999999 }));
      expect(decision.kind).toBe('retry');
      const { delayMs } = decision as { kind: 'retry'; delayMs: number };
      expect(delayMs).toBe(Math.round(base * (0.8 + 0.4 * 0.999999)));
      expect(delayMs).toBeLessThan(base * 1.2);
      expect(delayMs).toBeGreaterThan(base * 1.2 - base * 0.000001);
    });

    it('should give integer delays', () => {
      const decision = decideRetry(input({ status: 500, failures: 1, schedule: [333], random: 0.3 }));
      expect(decision).toEqual({ kind: 'retry', delayMs: Math.round(333 * 0.92) });
      expect(Number.isInteger((decision as { delayMs: number }).delayMs)).toBe(true);
    });
  });

  describe('Retry-After', () => {
    it.each<[string, number, string, number]>([
      // label, status, Retry-After, expected delay (schedule base 1000 ms, random 0.5, cap 300 s)
      ['seconds on 429', 429, '120', 120_000],
      ['seconds on 503', 503, '120', 120_000],
      ['seconds with spaces on 503', 503, ' 30 ', 30_000],
      ['an HTTP-date on 429', 429, httpDate(90_000), 90_000],
      ['an HTTP-date on 503', 503, httpDate(45_000), 45_000],
      ['seconds above the cap on 503', 503, '3600', CAP],
      ['an HTTP-date above the cap on 429', 429, httpDate(24 * 3600_000), CAP],
      ['seconds below the jittered delay on 503', 503, '0', 1_000],
      ['seconds below the jittered delay on 429', 429, '1', 1_000],
      ['an HTTP-date in the past on 503', 503, httpDate(-60_000), 1_000],
      ['an unreadable value on 503', 503, 'soon', 1_000],
      ['an unreadable value on 429', 429, 'later please', 1_000],
      ['an empty value on 503', 503, '', 1_000],
    ])('should honour %s', (_label, status, retryAfter, expected) => {
      expect(decideRetry(input({ status, retryAfter, failures: 1, random: 0.5 }))).toEqual({ kind: 'retry', delayMs: expected });
    });

    it('should not lower a jittered delay that is larger than Retry-After', () => {
      // base 60 s jittered to 72 s; Retry-After asks for 10 s
      const decision = decideRetry(input({ status: 503, failures: 3, random: 1 - 1e-9, retryAfter: '10' }));
      expect(decision).toEqual({ kind: 'retry', delayMs: 72_000 });
    });

    it('should cap Retry-After by retryAfterCapMs but never below the jittered delay', () => {
      const decision = decideRetry(input({ status: 429, failures: 2, random: 0, retryAfter: '3600', retryAfterCapMs: 5_000 }));
      // jittered 8000 > cap 5000 > asked: the jittered delay stands
      expect(decision).toEqual({ kind: 'retry', delayMs: 8_000 });
    });

    it.each<[string, number | undefined]>([
      ['500', 500],
      ['502', 502],
      ['404', 404],
      ['a network error', undefined],
    ])('should ignore Retry-After on %s', (_label, status) => {
      expect(decideRetry(input({ status, retryAfter: '120', failures: 1, random: 0.5 }))).toEqual({ kind: 'retry', delayMs: 1_000 });
      expect(decideRetry(input({ status, retryAfter: httpDate(120_000), failures: 1, random: 0.5 }))).toEqual({
        kind: 'retry',
        delayMs: 1_000,
      });
    });

    it('should not keep a delivery alive past the schedule because of Retry-After', () => {
      expect(decideRetry(input({ status: 503, retryAfter: '120', failures: 4 }))).toEqual({ kind: 'dead' });
      expect(decideRetry(input({ status: 429, retryAfter: '120', failures: 1, schedule: [] }))).toEqual({ kind: 'dead' });
    });

    it('should not turn a 2xx or a 410 into a retry', () => {
      expect(decideRetry(input({ status: 200, retryAfter: '120' }))).toEqual({ kind: 'delivered' });
      expect(decideRetry(input({ status: 410, retryAfter: '120' }))).toEqual({ kind: 'gone' });
    });
  });
});

describe('parseRetryAfter', () => {
  it.each<[string, number]>([
    ['0', 0],
    ['1', 1_000],
    ['120', 120_000],
    [' 120 ', 120_000],
    ['86400', 86_400_000],
  ])('should read delta-seconds %p as %p ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each<[string, number]>([
    ['in 90 s', 90_000],
    ['in one hour', 3_600_000],
    ['now', 0],
  ])('should read an HTTP-date %s as the ms from now', (_label, ms) => {
    expect(parseRetryAfter(httpDate(ms), NOW)).toBe(ms);
  });

  it('should read a fixed HTTP-date', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:02:00 GMT', NOW)).toBe(120_000);
  });

  it.each<[string]>([[httpDate(-1_000)], ['Wed, 21 Oct 2015 07:28:00 GMT'], [httpDate(-365 * 24 * 3600_000)]])(
    'should give 0 for a date in the past (%s)',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBe(0);
    },
  );

  it.each<[string]>([['soon'], ['not a date'], ['later please'], [''], ['   '], ['12 hours'], ['1.5'], ['soon 2099'], ['2099-01-01'], ['Sun, 06 Nov 2094 08:49:37 CET']])(
    'should give undefined for garbage %p',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});
