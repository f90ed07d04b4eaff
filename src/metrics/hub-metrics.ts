import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptKind, AttemptObserver } from '../delivery/delivery-worker';
import type { EventFeed } from '../hub/event-feed';
import type { PendingLimit } from '../hub/pending-limit';
import type { SchemaValidation } from '../hub/schema-validation';
import type { BridgeStatus } from '../bridge/bridge-status';
import type { Logger } from '../logger';
import type { DeliveryStore } from '../store/delivery-types';
import { pollMetrics, type PolledSources } from './poll-metrics';

const ATTEMPT_KINDS: readonly AttemptKind[] = ['delivered', 'retry', 'dead', 'gone'];

export interface HubMetricsDeps {
  feed: EventFeed;
  deliveries: Pick<DeliveryStore, 'pendingStats'>;
  /** Schema validation at publish, whose failures are counted. */
  validation?: Pick<SchemaValidation, 'subscribe'>;
  /** Backpressure (HUB_MAX_PENDING), whose refusals are counted. */
  pendingLimit?: Pick<PendingLimit, 'subscribe'>;
  logger: Logger;
  now?: () => number;
  /** The configured broker bridges, whose counters and lag are read at scrape time. */
  bridges?: ReadonlyArray<{ key: string; status(): BridgeStatus }>;
  /** The topics whose source polls an HTTP API, whose counts are read at scrape time. */
  polls?: PolledSources;
  /** Seconds left to each hub's client certificate, of the hubs this process knows to have one. */
  certificates?: () => Iterable<[hubId: string, seconds: number]>;
  /** The adaptive window of each hub this process delivered to lately (none without a worker). */
  concurrencyWindows?: () => Iterable<number>;
}

/**
 * The Prometheus metrics of one hub process, in a registry of its own (several apps can live in one
 * process, as in tests). Counters and the histogram count what this process did; the pending gauges
 * are read from the store at scrape time, so they describe the whole deployment.
 */
export class HubMetrics implements AttemptObserver {
  readonly registry = new Registry();
  private readonly attempts: Counter<'outcome'>;
  private readonly latency: Histogram<'outcome'>;
  /** The gauges read from the store at scrape time; left out of a scrape when the store cannot answer. */
  private readonly storeRegistry = new Registry();
  private readonly pending: Gauge;
  private readonly oldestAge: Gauge;
  private readonly now: () => number;

  constructor(private readonly deps: HubMetricsDeps) {
    const registers = [this.registry];
    this.now = deps.now ?? Date.now;
    collectDefaultMetrics({ register: this.registry });
    const published = new Counter({ name: 'tmf688_events_published_total', help: 'Events published through this process', registers });
    deps.feed.subscribe(() => published.inc());
    const schemaFailures = new Counter({
      name: 'tmf688_schema_validation_failures_total',
      help: 'Published events that did not conform to their schema, by the topic mode: warn (accepted with X-Schema-Warning), enforce and strict (refused with 400)',
      labelNames: ['mode'],
      registers,
    });
    for (const mode of ['warn', 'enforce', 'strict']) schemaFailures.inc({ mode }, 0);
    deps.validation?.subscribe((mode) => schemaFailures.inc({ mode }));
    const refused = new Counter({
      name: 'tmf688_publish_refused_total',
      help: 'Publishes refused with 503 by this process because pending deliveries passed HUB_MAX_PENDING or its heap was nearly full',
      registers,
    });
    deps.pendingLimit?.subscribe(() => refused.inc());
    this.attempts = new Counter({
      name: 'tmf688_deliveries_total',
      help: 'Delivery attempts made by this process, by outcome: delivered, retry (failed, will retry), dead (retries used up), gone (410, hub removed)',
      labelNames: ['outcome'],
      registers,
    });
    for (const kind of ATTEMPT_KINDS) this.attempts.inc({ outcome: kind }, 0);
    this.latency = new Histogram({
      name: 'tmf688_delivery_attempt_duration_seconds',
      help: 'Duration of delivery attempts (connect, send, answer), by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    for (const bridge of deps.bridges ?? []) bridgeMetrics(bridge.key, () => bridge.status(), registers);
    if (deps.certificates) certificateMetrics(deps.certificates, registers);
    if (deps.polls) pollMetrics(deps.polls, registers);
    if (deps.concurrencyWindows) windowMetrics(deps.concurrencyWindows, registers);
    const storeRegisters = [this.storeRegistry];
    this.pending = new Gauge({ name: 'tmf688_deliveries_pending', help: 'Deliveries not yet delivered nor dead, in the whole store', registers: storeRegisters });
    this.oldestAge = new Gauge({
      name: 'tmf688_delivery_oldest_pending_age_seconds',
      help: 'Age of the oldest pending delivery (0 when none), in the whole store',
      registers: storeRegisters,
    });
  }

  attempted(kind: AttemptKind, durationMs: number): void {
    this.attempts.inc({ outcome: kind });
    this.latency.observe({ outcome: kind }, durationMs / 1000);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const body = await this.registry.metrics();
    const stats = await this.deps.deliveries.pendingStats().catch((err: unknown) => {
      this.deps.logger.warn('metrics: could not read pending deliveries; the pending gauges are left out', { err });
      return undefined;
    });
    if (!stats) return { contentType: this.registry.contentType, body };
    this.pending.set(stats.count);
    this.oldestAge.set(stats.oldestCreatedAt === undefined ? 0 : Math.max(0, (this.now() - stats.oldestCreatedAt) / 1000));
    return { contentType: this.registry.contentType, body: body + (await this.storeRegistry.metrics()) };
  }
}

/**
 * A bridge's counters (read from the bridge at scrape time) and its consumer lag per source, named
 * after its key: tmf688_kafka_*, tmf688_nats_*, tmf688_amqp_*, tmf688_mqtt_*.
 */
function bridgeMetrics(key: string, status: () => BridgeStatus, registers: Registry[]): void {
  new Counter({
    name: `tmf688_${key}_produced_records_total`,
    help: `Records this process produced to ${key}: callbacks, by result: acknowledged (by the broker) or failed (the attempt is retried)`,
    labelNames: ['result'],
    registers,
    collect() {
      // The bridge keeps the counts; a scrape copies them.
      const { producer } = status();
      this.reset();
      this.inc({ result: 'acknowledged' }, producer.acknowledged);
      this.inc({ result: 'failed' }, producer.failed);
    },
  });
  new Counter({
    name: `tmf688_${key}_consumed_records_total`,
    help: `Records this process read from ${key} topic sources, by result: stored (published), duplicate (eventId already stored), dead_lettered (invalid, sent to the dead-letter destination)`,
    labelNames: ['result'],
    registers,
    collect() {
      const { sources } = status();
      this.reset();
      this.inc({ result: 'stored' }, sources.stored);
      this.inc({ result: 'duplicate' }, sources.duplicates);
      this.inc({ result: 'dead_lettered' }, sources.deadLettered);
    },
  });
  new Gauge({
    name: `tmf688_${key}_consumer_lag`,
    help: `Records of a ${key} source not yet read by this process, as the broker last told it (none for MQTT, which does not tell)`,
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const [source, lag] of Object.entries(status().sources.lag)) this.set({ source }, lag);
    },
  });
}

/**
 * The hubs' adaptive windows as a distribution over hubs, not a series per hub (thousands of hubs
 * would be thousands of series): read at scrape time, so each bucket counts the hubs at or below it
 * now, _count the hubs with traffic lately and _sum their windows.
 */
function windowMetrics(windows: () => Iterable<number>, registers: Registry[]): void {
  new Histogram({
    name: 'tmf688_hub_concurrency_window',
    help: 'Delivery attempts each hub may have in flight now (its adaptive window, up to HUB_DELIVERY_CONCURRENCY_PER_HUB), over the hubs this process delivered to in the last minute or more: a snapshot at scrape time, not a count since start',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
    collect() {
      this.reset();
      // Zeros rather than nothing when no hub had traffic lately.
      this.zero({});
      for (const window of windows()) this.observe(window);
    },
  });
}

/** How long each hub's client certificate has left: read at scrape time (which also warns of one near its end). */
function certificateMetrics(secondsLeft: () => Iterable<[string, number]>, registers: Registry[]): void {
  new Gauge({
    name: 'tmf688_hub_client_certificate_expiry_seconds',
    help: 'Seconds until the client certificate a hub presents to its listener expires (negative once expired): the hubs this process delivered to or accepted credentials for since it started',
    labelNames: ['hub'],
    registers,
    collect() {
      this.reset();
      for (const [hub, seconds] of secondsLeft()) this.set({ hub }, Math.round(seconds));
    },
  });
}
