import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DeliveryNotifier } from '../hub/delivery-notifier';
import type { Logger } from '../logger';
import type { AttemptOutcome, Delivery, DeliveryStore } from '../store/delivery-types';
import { decideRetry } from './retry-policy';
import { signWebhook } from './sign-webhook';
import type { WebhookClient, WebhookResult } from './webhook-client';

export interface DeliveryWorkerConfig {
  /** Delays before the 2nd, 3rd, ... attempt. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  retryAfterCapMs: number;
  /** Attempts in flight at once, over all hubs, and per hub. */
  concurrency: number;
  perHubConcurrency: number;
  /** How often to look for due work that nobody announced (retries, other processes' deliveries). */
  pollMs: number;
}

export interface DeliveryWorkerDeps {
  store: DeliveryStore;
  client: Pick<WebhookClient, 'post'>;
  /** Unregisters the hub of a delivery answered with 410 Gone. */
  removeGone: (delivery: Delivery) => Promise<void>;
  logger: Logger;
  /** Told of every recorded attempt (metrics). */
  observer?: AttemptObserver;
  now?: () => number;
  random?: () => number;
}

/** What one attempt came to: delivered, retry (pending again), dead (retries used up) or gone (410). */
export type AttemptKind = 'delivered' | 'retry' | 'dead' | 'gone';

export interface AttemptObserver {
  attempted(kind: AttemptKind, durationMs: number): void;
}

/**
 * The delivery worker. Claims due deliveries with a lease (so several processes share one outbox),
 * posts each, records the attempt, and schedules the next one or marks the delivery delivered or dead.
 * Concurrency is bounded overall and per hub, so a slow or dead listener only ever holds its own slots.
 */
export class DeliveryWorker implements DeliveryNotifier {
  /** Names this worker in leases and attempt records: host, process id and a random instance tag. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Longer than any attempt, so a live worker never loses its lease mid-attempt. */
  readonly leaseMs: number;
  private readonly inFlight = new Map<string, { hubId: string; done: Promise<void> }>();
  private readonly perHub = new Map<string, number>();
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
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** New deliveries are due: look now rather than at the next poll. */
  notify(): void {
    this.woken = true;
    this.wakeUp?.();
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
        try {
          claimed = await this.deps.store.claimDue({
            now: this.now(),
            leaseMs: this.leaseMs,
            owner: this.owner,
            limit: free,
            perHubLimit: this.config.perHubConcurrency,
            inFlightByHub: this.perHub,
          });
        } catch (err) {
          this.deps.logger.warn('could not claim deliveries; will retry', { err });
        }
        for (const delivery of claimed) this.launch(delivery);
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

  private launch(delivery: Delivery): void {
    this.perHub.set(delivery.hubId, (this.perHub.get(delivery.hubId) ?? 0) + 1);
    const done = this.attempt(delivery)
      .catch((err) => this.deps.logger.error('delivery attempt failed unexpectedly', { deliveryId: delivery.id, err }))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        const left = (this.perHub.get(delivery.hubId) ?? 1) - 1;
        if (left > 0) this.perHub.set(delivery.hubId, left);
        else this.perHub.delete(delivery.hubId);
        // A slot is free: more may be claimable now.
        this.notify();
      });
    this.inFlight.set(delivery.id, { hubId: delivery.hubId, done });
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const number = delivery.attempts.length + 1;
    const startedAt = this.now();
    const timestamp = String(Math.floor(startedAt / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'tmf688-hub',
      'webhook-id': delivery.id,
      'webhook-timestamp': timestamp,
      'webhook-attempt': String(number),
    };
    if (delivery.secret) headers['webhook-signature'] = signWebhook(delivery.secret, delivery.id, timestamp, delivery.payload);
    const result = await this.deps.client.post({ url: delivery.url, body: delivery.payload, headers, timeoutMs: this.config.timeoutMs });
    const outcome = this.outcome(delivery, number, startedAt, result);
    const recorded = await this.deps.store.complete(delivery.id, this.owner, outcome.record);
    if (!recorded) {
      this.deps.logger.warn('delivery lease lost before the attempt was recorded', { deliveryId: delivery.id });
      return;
    }
    this.deps.observer?.attempted(outcome.kind, result.durationMs);
    this.deps.logger.debug('delivery attempt', {
      deliveryId: delivery.id, hubId: delivery.hubId, attempt: number, status: result.status, error: result.error, outcome: outcome.kind,
    });
    if (outcome.kind === 'gone') {
      this.deps.logger.info('listener answered 410 Gone; unregistering its hub', { hubId: delivery.hubId });
      await this.deps.removeGone(delivery);
    }
  }

  private outcome(delivery: Delivery, number: number, startedAt: number, result: WebhookResult): { kind: AttemptKind; record: AttemptOutcome } {
    const success = result.status !== undefined && result.status >= 200 && result.status < 300;
    const attempt = {
      number,
      at: new Date(startedAt).toISOString(),
      durationMs: result.durationMs,
      ...(result.status !== undefined ? { statusCode: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.response ? { response: result.response } : {}),
      outcome: success ? ('delivered' as const) : ('failed' as const),
      worker: this.owner,
    };
    const failures = success ? delivery.failures : delivery.failures + 1;
    const decision = decideRetry({
      status: result.status,
      failures,
      schedule: this.config.retrySchedule,
      retryAfter: result.retryAfter,
      retryAfterCapMs: this.config.retryAfterCapMs,
      now: this.now(),
      random: this.random(),
    });
    const base = { attempt, failures, nextAttemptAt: delivery.nextAttemptAt };
    switch (decision.kind) {
      case 'delivered':
        return { kind: 'delivered', record: { ...base, status: 'delivered', deliveredAt: new Date(this.now()).toISOString(), finishedAt: this.now() } };
      case 'retry':
        return { kind: 'retry', record: { ...base, status: 'pending', nextAttemptAt: this.now() + decision.delayMs } };
      case 'gone':
        return { kind: 'gone', record: { ...base, status: 'dead', finishedAt: this.now() } };
      default:
        return { kind: 'dead', record: { ...base, status: 'dead', finishedAt: this.now() } };
    }
  }
}
