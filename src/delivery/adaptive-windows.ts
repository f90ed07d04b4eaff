import type { WebhookResult } from './webhook-client';

/**
 * How each hub's window (how many attempts it may have in flight) adapts: additive increase while
 * its listener answers fast, multiplicative decrease when it times out, fails with 5xx / 429, cannot
 * be reached, or answers well past its usual latency. A fast listener grows to the ceiling and uses
 * the machine; a slow or failing one falls to 1 and holds one socket.
 */
export interface WindowSettings {
  /** Where a hub starts, and starts again once forgotten: the old fixed per-hub limit (at most the ceiling). */
  initial: number;
  /** HUB_DELIVERY_CONCURRENCY_PER_HUB: never more in flight to one hub. */
  ceiling: number;
  /** A success slower than this never grows the window: a slow listener keeps the starting window at most. */
  growWithinMs: number;
  /** A success slower than slowFactor x the hub's baseline + slowSlackMs is a sign of overload (the slack keeps millisecond jitter from counting). */
  slowFactor: number;
  slowSlackMs: number;
  /** A hub without an attempt for this long is forgotten (its state, not its deliveries), so idle hubs cost no memory. */
  idleMs: number;
}

/** The defaults but for the ceiling (configured) and idleMs (the worker derives it from its timeout). */
export const WINDOW_DEFAULTS = { initial: 4, growWithinMs: 500, slowFactor: 2, slowSlackMs: 100 } as const;

/** What one attempt says about its listener's load. */
export type AttemptSignal = 'fast' | 'slow' | 'overload' | 'neutral';

/** One hub's window and what it is judged against. */
export interface HubWindow {
  /** Fractional: additive increase adds 1/window per success; what may be in flight is its floor. */
  window: number;
  /** Recent duration of its successes (ms), an exponential moving average; absent before the first. */
  baselineMs?: number;
  /** Until its first decrease a hub adds 1 per fast success (doubling each round, as TCP's slow start); after, 1 per window's worth. */
  probing: boolean;
  /** When the window was last cut (ms): attempts started before then were sent under the larger window, and do not cut it again. */
  cutAt: number;
  /** When it last had an attempt (ms). */
  seenAt: number;
}

/** One attempt as the controller needs it. */
export interface AttemptReport {
  result: Pick<WebhookResult, 'status' | 'acknowledged' | 'error' | 'durationMs'>;
  /** When the attempt started (ms, the worker's clock). */
  startedAt: number;
  /**
   * The most attempts the hub had in flight at once since it last had none (this one included): a
   * window never filled is not grown, so a hub with a trickle of traffic keeps its starting window.
   */
  peakInFlight: number;
}

/** The weight of the newest success in the baseline: about the last 8 successes count. */
const BASELINE_WEIGHT = 1 / 8;

const answered = (result: AttemptReport['result']) =>
  result.acknowledged === true || (result.status !== undefined && result.status >= 200 && result.status < 300);

/**
 * What an attempt says: overload (no answer: a timeout, a refused or reset connection; or 5xx, 429),
 * slow (a success well past the baseline), fast (a success within growWithinMs), or neutral (a slower
 * success, or an answer such as 400 or 410 that says nothing about load). Pure.
 */
export function attemptSignal(result: AttemptReport['result'], baselineMs: number | undefined, settings: WindowSettings): AttemptSignal {
  if (result.status === undefined && result.acknowledged !== true) return 'overload';
  if (result.status !== undefined && (result.status >= 500 || result.status === 429)) return 'overload';
  if (!answered(result)) return 'neutral';
  if (baselineMs !== undefined && result.durationMs > baselineMs * settings.slowFactor + settings.slowSlackMs) return 'slow';
  return result.durationMs <= settings.growWithinMs ? 'fast' : 'neutral';
}

/** A hub not seen before (or forgotten). */
export function freshWindow(settings: WindowSettings, now: number): HubWindow {
  return { window: settings.initial, probing: true, cutAt: -Infinity, seenAt: now };
}

/**
 * A hub's window after one attempt ending at `now`. Overload and slowness halve it (at least 1), once
 * per round: an attempt started before the last cut does not cut again, since a burst of timeouts is
 * one event. A fast success grows it when the window is in use (at least half of it was in flight), by 1
 * while probing, else by 1/window, never past the ceiling. Successes feed the baseline. Pure.
 */
export function nextWindow(state: HubWindow, report: AttemptReport, now: number, settings: WindowSettings): HubWindow {
  const signal = attemptSignal(report.result, state.baselineMs, settings);
  const next: HubWindow = { ...state, seenAt: now };
  if (answered(report.result)) {
    next.baselineMs = state.baselineMs === undefined ? report.result.durationMs : state.baselineMs + (report.result.durationMs - state.baselineMs) * BASELINE_WEIGHT;
  }
  if (signal === 'overload' || signal === 'slow') {
    if (report.startedAt < state.cutAt) return next;
    return { ...next, window: Math.max(1, state.window / 2), probing: false, cutAt: now };
  }
  if (signal === 'fast' && report.peakInFlight >= Math.floor(state.window) / 2) {
    next.window = Math.min(settings.ceiling, state.window + (state.probing ? 1 : 1 / state.window));
  }
  return next;
}

/**
 * The windows of the hubs this worker delivers to. `limits` lists the hubs whose limit is not the
 * starting one, kept up to date as attempts end: a claim passes it as is (no copy per claim), and the
 * many hubs that never leave the starting window cost it nothing. Hubs idle for idleMs are forgotten.
 */
export class AdaptiveWindows {
  private readonly hubs = new Map<string, HubWindow>();
  private readonly changed = new Map<string, number>();
  private nextSweepAt: number;

  constructor(
    readonly settings: WindowSettings,
    now: number,
  ) {
    this.nextSweepAt = now + settings.idleMs;
  }

  /** Hubs whose limit differs from `initial`, and their limit: what ClaimRequest.hubLimit takes. */
  get limits(): ReadonlyMap<string, number> {
    return this.changed;
  }

  /** What a hub may have in flight now. */
  limitOf(hubId: string): number {
    return this.changed.get(hubId) ?? this.settings.initial;
  }

  /** The current limits of the hubs with an attempt within idleMs (for metrics). */
  *current(): IterableIterator<number> {
    for (const state of this.hubs.values()) yield Math.floor(state.window);
  }

  /** Learns from one attempt to `hubId` that ended at `now`. */
  report(hubId: string, report: AttemptReport, now: number): void {
    if (now >= this.nextSweepAt) this.forgetIdle(now);
    const state = nextWindow(this.hubs.get(hubId) ?? freshWindow(this.settings, now), report, now, this.settings);
    this.hubs.set(hubId, state);
    const limit = Math.floor(state.window);
    if (limit === this.settings.initial) this.changed.delete(hubId);
    else this.changed.set(hubId, limit);
  }

  /** Drops the hubs without an attempt for idleMs; runs at most once per idleMs, so it costs O(hubs) that rarely. */
  private forgetIdle(now: number): void {
    this.nextSweepAt = now + this.settings.idleMs;
    for (const [hubId, state] of this.hubs) {
      if (now - state.seenAt < this.settings.idleMs) continue;
      this.hubs.delete(hubId);
      this.changed.delete(hubId);
    }
  }
}
