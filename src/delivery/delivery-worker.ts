import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger';
import type { Delivery, DeliveryStore } from '../store/delivery-types';
import { parseTraceparent } from '../tracing/trace-context';
import { ID_ONLY_TRACER, type Tracer } from '../tracing/tracer';
import { attemptRequest } from './attempt-request';
import { attemptOutcome, type AttemptKind } from './attempt-outcome';
import { AdaptiveWindows, WINDOW_DEFAULTS } from './adaptive-windows';
import { RateLimiter } from './rate-limiter';
import type { SubscriberDirectory, Subscription } from './subscriber-directory';
import type { TransportRegistry } from './transport-registry';
import type { WebhookResult } from './webhook-client';

export interface DeliveryWorkerConfig {
  /** Delays before the 2nd, 3rd, ... attempt. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  retryAfterCapMs: number;
  /** Attempts in flight at once, over all hubs; and per hub, the ceiling of its adaptive window. */
  concurrency: number;
  perHubConcurrency: number;
  /** How often to look for due work that nobody announced (retries, other processes' deliveries). */
  pollMs: number;
}

export interface DeliveryWorkerDeps {
  store: DeliveryStore;
  /** Sends each attempt by its callback's scheme: HTTP, or a configured broker. */
  transports: Pick<TransportRegistry, 'send'>;
  /** The hubs delivered to: their signing secrets, and unregistering one that answered 410 Gone. */
  subscribers: SubscriberDirectory;
  logger: Logger;
  /** Told of every recorded attempt (metrics). */
  observer?: AttemptObserver;
  /** A span per attempt, child of the publish span its delivery records (ids only unless an exporter is configured). */
  tracer?: Tracer;
  now?: () => number;
  random?: () => number;
}

export type { AttemptKind };

/** An attempt in flight longer than this waits on a slow listener: it no longer makes publishing yield. */
const SLOW_ATTEMPT_MS = 100;

/** How often a worker says it is alive (and learns how many share the hubs' rate limits): the composition root schedules heartbeat(). */
export const HEARTBEAT_MS = 1000;

export interface AttemptObserver {
  attempted(kind: AttemptKind, durationMs: number): void;
}

/**
 * The delivery worker. Claims due deliveries with a lease (so several processes share one outbox),
 * posts each, records the attempt, and schedules the next one or marks the delivery delivered or dead.
 * Concurrency is bounded overall and per hub, so a slow or dead listener only ever holds its own slots;
 * each hub's bound adapts to how its listener answers (AdaptiveWindows), up to perHubConcurrency.
 */
export class DeliveryWorker {
  /** Names this worker in leases and attempt records: host, process id and a random instance tag. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Longer than any attempt, so a live worker never loses its lease mid-attempt. */
  readonly leaseMs: number;
  private readonly inFlight = new Map<string, { hubId: string; startedAt: number; done: Promise<void> }>();
  private readonly perHub = new Map<string, number>();
  /** The most each hub has had in flight since it last had none: whether its window is in use. */
  private readonly perHubPeak = new Map<string, number>();
  private readonly limiter = new RateLimiter();
  private readonly windows: AdaptiveWindows;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly config: DeliveryWorkerConfig,
    private readonly deps: DeliveryWorkerDeps,
  ) {
    this.leaseMs = config.timeoutMs * 2 + 5000;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.windows = new AdaptiveWindows(
      {
        ...WINDOW_DEFAULTS,
        initial: Math.min(WINDOW_DEFAULTS.initial, config.perHubConcurrency),
        ceiling: config.perHubConcurrency,
        // Long enough that a hub whose attempts hang until the timeout is never forgotten between them.
        idleMs: Math.max(60_000, 2 * config.timeoutMs),
      },
      this.now(),
    );
  }

  /** The current window of each hub this worker delivered to lately (metrics). */
  concurrencyWindows(): Iterable<number> {
    return this.windows.current();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Whether delivery is at work: an attempt started less than SLOW_ATTEMPT_MS ago is in flight.
   * Publishing then yields to delivery (fairness). Older attempts do not count: a listener that
   * hangs holds its slots for the whole timeout, and ingest must not be held back by it.
   */
  busy(): boolean {
    const recent = performance.now() - SLOW_ATTEMPT_MS;
    for (const flight of this.inFlight.values()) if (flight.startedAt > recent) return true;
    return false;
  }

  /**
   * New deliveries are due, or a slot is free: look now rather than at the next poll. The look waits
   * for the end of the current turn, so the attempts that finish together (and the publishes that
   * land together) make one claim rather than one each.
   */
  notify(): void {
    if (this.woken) return;
    this.woken = true;
    setImmediate(() => this.wakeUp?.());
  }

  /** Stops claiming, lets attempts in flight finish for up to `graceMs`, then releases every lease still held. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.notify();
    await this.loopDone;
    const drained = Promise.all([...this.inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const released = await this.deps.store.release(this.owner).catch(() => 0);
    if (released) this.deps.logger.info('released delivery leases at shutdown', { released });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const free = this.config.concurrency - this.inFlight.size;
      let claimed: Delivery[] = [];
      if (free > 0) {
        const now = this.now();
        try {
          claimed = await this.deps.store.claimDue({
            now,
            leaseMs: this.leaseMs,
            owner: this.owner,
            limit: free,
            // A hub the windows do not list is at the starting window.
            perHubLimit: this.windows.settings.initial,
            inFlightByHub: this.perHub,
            hubLimit: this.windows.limits,
            hubBudget: this.limiter.budgets(now),
          });
        } catch (err) {
          this.deps.logger.warn('could not claim deliveries; will retry', { err });
        }
        const subscriptions = new Map<string, Promise<Subscription | undefined>>();
        for (const delivery of claimed) {
          // One read of a hub per claimed batch, however many of its deliveries the batch holds.
          let ofHub = subscriptions.get(delivery.hubId);
          if (!ofHub) {
            ofHub = this.deps.subscribers.subscription(delivery);
            ofHub.catch(() => undefined);
            subscriptions.set(delivery.hubId, ofHub);
          }
          this.launch(delivery, ofHub);
        }
      }
      // A full batch may mean more is due: claim again at once (the next round waits if no slot is free).
      if (claimed.length === 0 || claimed.length < free || free <= 0) await this.waitForWork();
    }
  }

  private waitForWork(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.config.pollMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        self.woken = false;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /**
   * Says this worker is alive, and learns how many workers are (they share each hub's rate limit).
   * Run every HEARTBEAT_MS by the scheduler; answers how many are alive.
   */
  async heartbeat(): Promise<number> {
    const alive = await this.deps.store.heartbeat('worker', this.owner, this.now(), Math.max(3 * HEARTBEAT_MS, 3 * this.config.pollMs));
    this.limiter.setShare(alive);
    return alive;
  }

  private launch(delivery: Delivery, subscription: Promise<Subscription | undefined>): void {
    const count = (this.perHub.get(delivery.hubId) ?? 0) + 1;
    this.perHub.set(delivery.hubId, count);
    if (count > (this.perHubPeak.get(delivery.hubId) ?? 0)) this.perHubPeak.set(delivery.hubId, count);
    const done = this.attempt(delivery, subscription)
      .catch((err) => this.deps.logger.error('delivery attempt failed unexpectedly', { deliveryId: delivery.id, err }))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        const left = (this.perHub.get(delivery.hubId) ?? 1) - 1;
        if (left > 0) this.perHub.set(delivery.hubId, left);
        else {
          this.perHub.delete(delivery.hubId);
          this.perHubPeak.delete(delivery.hubId);
        }
        // A slot is free: more may be claimable now.
        this.notify();
      });
    this.inFlight.set(delivery.id, { hubId: delivery.hubId, startedAt: performance.now(), done });
  }

  private async attempt(delivery: Delivery, subscription: Promise<Subscription | undefined>): Promise<void> {
    const attemptNumber = delivery.attempts.length + 1;
    const startedAt = this.now();
    const tracer = this.deps.tracer ?? ID_ONLY_TRACER;
    let hub: Subscription | undefined;
    let unreadable = false;
    try {
      hub = await subscription;
    } catch (err) {
      unreadable = true;
      this.deps.logger.warn('could not read the hub of a delivery; the attempt counts as failed', { hubId: delivery.hubId, err });
    }
    // Over the hub's rate: back in the queue unattempted (no span, no attempt), due when a token will be there.
    const wait = hub ? this.limiter.take(delivery.hubId, hub.rateLimit, startedAt) : 0;
    if (wait > 0) {
      await this.deps.store.postpone(delivery.id, this.owner, startedAt + wait);
      return;
    }
    const span = tracer.startSpan('deliver', 'client', parseTraceparent(delivery.traceparent, delivery.tracestate), tracer.recording ? {
      // Without the query string: callbacks sometimes carry tokens there, and spans leave the process.
      'url.full': delivery.url.split('?')[0],
      'tmf688.delivery.id': delivery.id,
      'tmf688.hub.id': delivery.hubId,
      'tmf688.delivery.attempt': attemptNumber,
    } : undefined);
    let result: WebhookResult;
    try {
      if (hub) {
        const request = attemptRequest({ delivery, attemptNumber, now: startedAt, secrets: hub.secrets, trace: span.context });
        result = await this.deps.transports.send({
          delivery, body: request.body, headers: request.headers, timeoutMs: this.config.timeoutMs, ...(hub.credentials ? { credentials: hub.credentials } : {}),
        });
      } else {
        result = { error: unreadable ? 'the hub could not be read (store unavailable)' : 'the hub no longer exists', durationMs: 0 };
      }
    } catch (err) {
      span.end(undefined, 'the attempt failed unexpectedly');
      throw err;
    }
    // Only an attempt that reached out says something about the listener (not an unreadable or removed hub).
    if (hub) this.windows.report(delivery.hubId, { result, startedAt, peakInFlight: this.perHubPeak.get(delivery.hubId) ?? 1 }, this.now());
    const outcome = attemptOutcome({
      delivery,
      attemptNumber,
      startedAt,
      result,
      // A hub that no longer exists ends the delivery; one that could not be read is retried.
      final: !hub && !unreadable,
      now: this.now(),
      random: this.random(),
      retrySchedule: this.config.retrySchedule,
      retryAfterCapMs: this.config.retryAfterCapMs,
      worker: this.owner,
    });
    span.end(
      tracer.recording ? { 'http.response.status_code': result.status, 'tmf688.delivery.outcome': outcome.kind } : undefined,
      outcome.kind === 'delivered' ? undefined : result.error ?? (result.status !== undefined ? `HTTP ${result.status}` : outcome.kind),
    );
    const recorded = await this.deps.store.complete(delivery.id, this.owner, outcome.record);
    if (!recorded) {
      this.deps.logger.warn('delivery lease lost before the attempt was recorded', { deliveryId: delivery.id });
      return;
    }
    this.deps.observer?.attempted(outcome.kind, result.durationMs);
    this.deps.logger.debug('delivery attempt', {
      deliveryId: delivery.id, hubId: delivery.hubId, attempt: attemptNumber, status: result.status, error: result.error, outcome: outcome.kind,
    });
    if (outcome.kind === 'gone') {
      this.deps.logger.info('listener answered 410 Gone; unregistering its hub', { hubId: delivery.hubId });
      await this.deps.subscribers.unregister(delivery);
    }
  }
}
