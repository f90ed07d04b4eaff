import {
  AdaptiveWindows,
  attemptSignal,
  freshWindow,
  nextWindow,
  type AttemptReport,
  type AttemptSignal,
  type HubWindow,
  type WindowSettings,
} from '../../src/delivery/adaptive-windows';

const SETTINGS: WindowSettings = { initial: 4, ceiling: 32, growWithinMs: 500, slowFactor: 2, slowSlackMs: 100, idleMs: 60_000 };
const T = 1_000_000;

const ok = (durationMs = 5): AttemptReport['result'] => ({ status: 204, durationMs });
const report = (result: AttemptReport['result'], peakInFlight = 4, startedAt = T): AttemptReport => ({ result, startedAt, peakInFlight });
const state = (overrides: Partial<HubWindow> = {}): HubWindow => ({ ...freshWindow(SETTINGS, T - 1000), ...overrides });

describe('attemptSignal', () => {
  it.each<[string, AttemptReport['result'], number | undefined, AttemptSignal]>([
    ['a quick 2xx', ok(5), 5, 'fast'],
    ['a quick 2xx before any baseline', ok(5), undefined, 'fast'],
    ['a broker acknowledgement', { acknowledged: true, durationMs: 3 }, undefined, 'fast'],
    ['a 2xx at the growth bound', ok(500), 400, 'fast'],
    ['a 2xx past the growth bound but near its baseline', ok(600), 500, 'neutral'],
    ['a 2xx well past its baseline (2 x 5 + 100 ms)', ok(111), 5, 'slow'],
    ['a 2xx just within the slowness bound', ok(110), 5, 'fast'],
    ['a timeout', { error: 'timed out after 1000 ms', durationMs: 1000 }, 5, 'overload'],
    ['a refused connection', { error: 'ECONNREFUSED: connect ECONNREFUSED', durationMs: 1 }, 5, 'overload'],
    ['a broker error', { error: 'Kafka: connection refused', durationMs: 3 }, undefined, 'overload'],
    ['a 503', { status: 503, durationMs: 2 }, 5, 'overload'],
    ['a 500', { status: 500, durationMs: 2 }, undefined, 'overload'],
    ['a 429', { status: 429, retryAfter: '1', durationMs: 2 } as AttemptReport['result'], 5, 'overload'],
    ['a 400 (says nothing about load)', { status: 400, durationMs: 2 }, 5, 'neutral'],
    ['a 410', { status: 410, durationMs: 2 }, 5, 'neutral'],
    ['a redirect', { status: 302, durationMs: 2 }, 5, 'neutral'],
  ])('should read %s', (_case, result, baselineMs, expected) => {
    expect(attemptSignal(result, baselineMs, SETTINGS)).toBe(expected);
  });
});

describe('nextWindow', () => {
  it.each<[string, HubWindow, AttemptReport, Partial<HubWindow>]>([
    ['probing: +1 per fast success', state({ window: 4 }), report(ok(), 4), { window: 5, probing: true }],
    ['after a cut: +1/window per fast success', state({ window: 8, probing: false }), report(ok(), 8), { window: 8.125 }],
    ['never past the ceiling', state({ window: 32 }), report(ok(), 32), { window: 32 }],
    ['up to the ceiling, not past it', state({ window: 31.99, probing: false }), report(ok(), 31), { window: 32 }],
    ['a window not in use (less than half in flight) does not grow', state({ window: 8 }), report(ok(), 3), { window: 8 }],
    ['a window half in use grows', state({ window: 8 }), report(ok(), 4), { window: 9 }],
    ['a window of 1 grows with its one attempt', state({ window: 1, probing: false }), report(ok(), 1), { window: 2 }],
    ['a neutral answer leaves it', state({ window: 8 }), report({ status: 400, durationMs: 2 }, 8), { window: 8, probing: true }],
    ['a success past the growth bound leaves it', state({ window: 8, baselineMs: 700 }), report(ok(700), 8), { window: 8 }],
    ['a timeout halves it and ends probing', state({ window: 8 }), report({ error: 'timed out', durationMs: 1000 }), { window: 4, probing: false, cutAt: T }],
    ['a 503 halves it', state({ window: 9, probing: false }), report({ status: 503, durationMs: 2 }), { window: 4.5, cutAt: T }],
    ['a slow success halves it', state({ window: 16, baselineMs: 5 }), report(ok(400)), { window: 8, cutAt: T }],
    ['never below 1', state({ window: 1.5, probing: false }), report({ status: 500, durationMs: 2 }), { window: 1 }],
    ['an attempt started before the last cut does not cut again', state({ window: 4, cutAt: T + 10 }), report({ status: 503, durationMs: 2 }, 4, T + 5), { window: 4, cutAt: T + 10 }],
    ['an attempt started after the last cut cuts', state({ window: 4, cutAt: T - 10 }), report({ status: 503, durationMs: 2 }, 4, T - 5), { window: 2, cutAt: T }],
  ])('%s', (_case, before, attempt, expected) => {
    const after = nextWindow(before, attempt, T, SETTINGS);
    expect(after).toMatchObject({ ...expected, seenAt: T });
  });

  it.each<[string, number | undefined, AttemptReport['result'], number | undefined]>([
    ['the first success sets the baseline', undefined, ok(40), 40],
    ['a success moves it an eighth of the way', 40, ok(48), 41],
    ['a slow success moves it too (a lasting slowdown becomes the new normal)', 10, ok(410), 60],
    ['a failure leaves it', 40, { status: 503, durationMs: 2 }, 40],
    ['a timeout leaves it', undefined, { error: 'timed out', durationMs: 1000 }, undefined],
  ])('baseline: %s', (_case, baselineMs, result, expected) => {
    expect(nextWindow(state({ baselineMs }), report(result), T, SETTINGS).baselineMs).toBe(expected);
  });

  it('should grow from the start to the ceiling in a few rounds while probing, then 1 per window of successes', () => {
    let s = freshWindow(SETTINGS, T);
    let successes = 0;
    while (s.window < SETTINGS.ceiling) {
      s = nextWindow(s, report(ok(), Math.floor(s.window)), T, SETTINGS);
      successes++;
    }
    expect(successes).toBe(28);
    s = nextWindow(s, report({ status: 503, durationMs: 1 }, 32, T), T + 1, SETTINGS);
    expect(s.window).toBe(16);
    successes = 0;
    while (s.window < 17) {
      s = nextWindow(s, report(ok(), 16, T + 2), T + 2, SETTINGS);
      successes++;
    }
    // A window's worth (16), and one more: each adds 1 / the window as it has grown so far.
    expect(successes).toBe(17);
  });
});

describe('AdaptiveWindows', () => {
  it('should list only the hubs whose limit is not the starting one, as their limit changes', () => {
    const windows = new AdaptiveWindows(SETTINGS, T);
    expect(windows.limitOf('a')).toBe(4);
    windows.report('a', report(ok(), 4), T);
    windows.report('b', report({ status: 400, durationMs: 1 }), T);
    expect([...windows.limits]).toEqual([['a', 5]]);
    expect(windows.limitOf('a')).toBe(5);
    expect(windows.limitOf('b')).toBe(4);
    for (const peak of [5, 6, 7]) windows.report('a', report(ok(), peak), T);
    expect([...windows.limits]).toEqual([['a', 8]]);
    // Halved back to the starting window: listed no more.
    windows.report('a', report({ status: 503, durationMs: 1 }), T + 1);
    expect([...windows.limits]).toEqual([]);
    windows.report('a', report({ status: 503, durationMs: 1 }, 4, T + 2), T + 2);
    expect([...windows.limits]).toEqual([['a', 2]]);
    expect([...windows.current()].sort()).toEqual([2, 4]);
  });

  it('should forget hubs idle for idleMs (state and limit), keeping the others', () => {
    const windows = new AdaptiveWindows(SETTINGS, T);
    windows.report('idle', report({ status: 503, durationMs: 1 }), T);
    windows.report('busy', report({ status: 503, durationMs: 1 }), T);
    windows.report('busy', report(ok(), 2, T + 59_000), T + 59_000);
    // The sweep is due at T + 60 s: the idle hub's last attempt is 60 s old then, the busy one's 1 s.
    windows.report('other', report(ok(), 4, T + 60_000), T + 60_000);
    expect([...windows.limits.keys()].sort()).toEqual(['busy', 'other']);
    expect([...windows.current()]).toHaveLength(2);
    expect(windows.limitOf('idle')).toBe(4);
  });

  it('should sweep at most once per idleMs, so a hub just past idle is kept until the next sweep', () => {
    const windows = new AdaptiveWindows(SETTINGS, T);
    windows.report('a', report({ status: 503, durationMs: 1 }), T + 1);
    windows.report('b', report(ok(), 4, T + 60_000), T + 60_000);
    // 'a' was 59,999 ms idle at that sweep: kept. The next sweep is at T + 120 s.
    windows.report('b', report(ok(), 4, T + 61_002), T + 61_002);
    expect(windows.limitOf('a')).toBe(2);
    windows.report('b', report(ok(), 4, T + 120_000), T + 120_000);
    expect(windows.limitOf('a')).toBe(4);
    expect([...windows.current()]).toHaveLength(1);
  });
});
