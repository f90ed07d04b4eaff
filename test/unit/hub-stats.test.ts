import { bucketMsFor, hubStats, type AttemptSample } from '../../src/hub/hub-stats';

const NOW = Date.parse('2024-05-01T12:30:30.000Z');
const HOUR = 3_600_000;
const at = (iso: string, outcome: 'delivered' | 'failed' = 'delivered', durationMs = 10): AttemptSample => ({ at: iso, outcome, durationMs });

describe('bucketMsFor', () => {
  it.each<[number, number]>([
    [60_000, 60_000],
    [15 * 60_000, 60_000],
    [HOUR, 60_000],
    [2 * HOUR, 120_000],
    [24 * HOUR, 24 * 60_000],
    [90 * 60_000, 120_000],
  ])('should give %p ms windows buckets of %p ms', (windowMs, expected) => {
    expect(bucketMsFor(windowMs)).toBe(expected);
  });
});

describe('hubStats', () => {
  it('should give one point per minute of an hour, the last one holding now, aligned to minutes', () => {
    const stats = hubStats([], NOW, HOUR);
    expect(stats.points).toHaveLength(60);
    expect(stats.points[59].at).toBe('2024-05-01T12:30:00.000Z');
    expect(stats.points[0].at).toBe('2024-05-01T11:31:00.000Z');
    expect(stats).toMatchObject({ from: '2024-05-01T11:31:00.000Z', to: '2024-05-01T12:30:30.000Z', bucketSeconds: 60, delivered: 0, failed: 0 });
    expect(stats.points.every((p) => p.p50Ms === undefined && p.p99Ms === undefined)).toBe(true);
  });

  it.each<[string, AttemptSample[], number, { delivered: number; failed: number }]>([
    ['an attempt in the current minute', [at('2024-05-01T12:30:10.000Z')], 59, { delivered: 1, failed: 0 }],
    ['a failure at the first instant of the window', [at('2024-05-01T11:31:00.000Z', 'failed')], 0, { delivered: 0, failed: 1 }],
    ['mixed outcomes in one minute', [at('2024-05-01T12:00:01.000Z'), at('2024-05-01T12:00:59.999Z', 'failed'), at('2024-05-01T12:00:30.000Z')], 29, { delivered: 2, failed: 1 }],
  ])('should count %s in its bucket', (_case, attempts, index, counts) => {
    const stats = hubStats(attempts, NOW, HOUR);
    expect(stats.points[index]).toMatchObject(counts);
    expect({ delivered: stats.delivered, failed: stats.failed }).toEqual(counts);
  });

  it.each<[string, AttemptSample]>([
    ['before the window', at('2024-05-01T11:30:59.999Z')],
    ['after now (a clock ahead)', at('2024-05-01T12:30:31.000Z')],
    ['with an unreadable time', at('not a time')],
  ])('should leave out an attempt %s', (_case, attempt) => {
    const stats = hubStats([attempt], NOW, HOUR);
    expect({ delivered: stats.delivered, failed: stats.failed }).toEqual({ delivered: 0, failed: 0 });
  });

  it('should give nearest-rank p50 and p99 of a bucket\'s durations', () => {
    const attempts = Array.from({ length: 100 }, (_, i) => at('2024-05-01T12:30:00.000Z', i % 10 ? 'delivered' : 'failed', i + 1));
    const point = hubStats(attempts, NOW, HOUR).points[59];
    expect(point).toEqual({ at: '2024-05-01T12:30:00.000Z', delivered: 90, failed: 10, p50Ms: 50, p99Ms: 99 });
    const single = hubStats([at('2024-05-01T12:30:00.000Z', 'delivered', 7)], NOW, HOUR).points[59];
    expect([single.p50Ms, single.p99Ms]).toEqual([7, 7]);
  });

  it('should give a 15-minute window 15 points and a day 60 points of 24 minutes', () => {
    expect(hubStats([], NOW, 15 * 60_000).points).toHaveLength(15);
    const day = hubStats([], NOW, 24 * HOUR);
    expect(day.points).toHaveLength(60);
    expect(day.bucketSeconds).toBe(24 * 60);
  });
});
