import type { Server } from 'node:http';
import type { Bridge } from './bridge/bridge';
import type { SourceDeps } from './bridge/source-reader';
import type Koa from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import type { Config } from './config';
import { BROKERS, brokerConfigured } from './config/brokers';
import { CallbackGuard } from './delivery/callback-guard';
import { deleteExpired, retentionSweepInterval } from './delivery/delete-expired';
import { DeliveryWorker, HEARTBEAT_MS } from './delivery/delivery-worker';
import { httpTransport } from './delivery/http-transport';
import { recordTransport } from './delivery/record-transport';
import { stagedSweepInterval, sweepStaged } from './delivery/sweep-staged';
import { TransportRegistry } from './delivery/transport-registry';
import { WebhookClient } from './delivery/webhook-client';
import { createApp } from './http/create-app';
import { createOpenApiBackend } from './http/create-openapi-backend';
import { listeningBaseUrl } from './http/hub-base-url';
import { sourcedEventRefusal } from './http/sourced-event-refusal';
import { attachWebSocketStreams, type WebSocketStreams } from './http/websocket-stream';
import { createServices, type Services } from './hub/create-services';
import type { EventSource } from './hub/event-source';
import type { Logger } from './logger';
import { HubMetrics } from './metrics/hub-metrics';
import { Scheduler } from './scheduler';
import { createStores } from './store/create-stores';
import type { Stores } from './store/store-types';
import { ID_ONLY_TRACER, type Tracer } from './tracing/tracer';

/** How stale the MongoDB outbox's pending count may be for HUB_MAX_PENDING (docs/delivery.md, Backpressure). */
const PENDING_COUNT_REFRESH_MS = 1000;
/** How often a process re-reads which topics have a source: those created through other processes. */
const SOURCE_REFRESH_MS = 5000;

export interface HubDeps {
  config: Config;
  logger: Logger;
  /** Stores made elsewhere (tests share them); by default the configured ones, which stop() then closes. */
  stores?: Stores;
  /** An initialised backend to share (initialising one compiles every schema: most of a second). */
  api?: OpenAPIBackend;
}

/** One hub process: its stores, domain services, HTTP app and, for the worker role, its background work. */
export interface Hub {
  config: Config;
  stores: Stores;
  services: Services;
  metrics: HubMetrics;
  app: Koa;
  api: OpenAPIBackend;
  /** Present when this process delivers (HUB_WORKER_ENABLED). */
  worker?: DeliveryWorker;
  /** The configured broker bridges, by key (`kafka` when HUB_KAFKA_BROKERS is set, `nats`, `amqp`, `mqtt`). */
  bridges: ReadonlyMap<string, Bridge>;
  /** This process's periodic jobs (sweeps, retention, heartbeats, the backlog count, source refresh). */
  scheduler: Scheduler;
  /** Starts the periodic jobs, and the delivery worker and the bridges' sources when this process delivers. */
  start(): void;
  /**
   * Serves what needs the HTTP server itself rather than the request handler: the WebSocket live
   * stream (upgrades). main calls it once it listens, and so do tests that listen on a real port.
   */
  attach(server: Server): WebSocketStreams | undefined;
  /** Stops the background work (attempts in flight get `graceMs`), the webhook client, and the stores it opened. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The one composition root: main, the seed command and the tests all build a hub here, from one
 * Config, so what runs in production is what the tests run. It only wires: every decision lives in
 * the layers below.
 */
export async function composeHub({ config, logger, stores: given, api: shared }: HubDeps): Promise<Hub> {
  const stores = given ?? (await createStores(config, logger));
  const api = shared ?? (await createOpenApiBackend(config));
  const guard = new CallbackGuard({ policy: config.callbackPolicy, allow: config.callbackAllow });
  // As many connections to one origin as attempts may be in flight: many hubs on one listener service
  // otherwise queue behind 16 sockets (measured: deliveries during full-speed ingest went up about 2.5x).
  const client = new WebhookClient({ guard, connectionsPerOrigin: config.deliveryConcurrency });
  // The OpenTelemetry SDK is loaded only when an exporter is configured: without one, spans are ids only.
  const tracer: Tracer = config.otlpEndpoint
    ? (await import('./tracing/otel-tracer')).createOtelTracer({ endpoint: config.otlpEndpoint, serviceName: 'tmf688-hub' })
    : ID_ONLY_TRACER;
  // The services wake the worker when deliveries become due; the worker needs the services' hubs.
  let worker: DeliveryWorker | undefined;
  // The bridges publish what their sources read through the services, which exist below.
  let services: Services | undefined;
  const bridges = await loadBridges(config, logger, (key) => ({
    bindings: () => services!.ingest.bindings(key),
    ingest: (topicId, event) => services!.ingest.ingest(topicId, event),
  }));
  const transports = new TransportRegistry(
    httpTransport(client, guard),
    [...bridges.values()].map((bridge) => recordTransport(bridge.target)),
  );
  const sources = new Map<string, EventSource>([...bridges].map(([key, bridge]) => [key, bridge.sources]));
  services = createServices(stores, {
    listenerSuffix: config.listenerSuffix,
    notifier: { notify: () => worker?.notify() },
    callbacks: transports,
    sources,
    ingest: { contractRefusal: (topicId, body) => sourcedEventRefusal(api, topicId, body), baseUrl: listeningBaseUrl(config) },
    stream: { pollMs: config.streamPollMs, heartbeatMs: config.streamHeartbeatMs, gapGraceMs: config.streamGapGraceMs },
    inboxLimit: config.inboxLimit,
    inboxMaxTotal: config.inboxMaxTotal,
    secretRotationGraceMs: config.secretRotationGraceMs,
    replayMax: config.replayMax,
    schemaValidation: { defaultMode: config.schemaValidation, cacheTtlMs: config.schemaCacheTtlMs },
    handshake: {
      probe: { options: (url, headers) => client.options({ url, headers, timeoutMs: config.deliveryTimeoutMs }) },
      requestRate: config.handshakeRate,
    },
    tracer,
    // The embedded store counts in O(1): every publish reads it. MongoDB's count is refreshed by the scheduler.
    pendingLimit: { max: config.maxPending, refreshMs: config.mongodbUrl ? PENDING_COUNT_REFRESH_MS : 0 },
    publishTurns: config.publishPerTurn > 0 ? { perTurn: config.publishPerTurn, busy: () => worker?.busy() ?? false } : undefined,
  });
  const metrics = new HubMetrics({
    feed: services.feed,
    deliveries: stores.deliveries,
    logger,
    validation: services.validation,
    pendingLimit: services.pendingLimit,
    bridges: [...bridges.values()],
  });
  if (config.workerEnabled) {
    worker = new DeliveryWorker(
      {
        retrySchedule: config.retrySchedule,
        timeoutMs: config.deliveryTimeoutMs,
        retryAfterCapMs: config.retryAfterMaxMs,
        concurrency: config.deliveryConcurrency,
        perHubConcurrency: config.deliveryConcurrencyPerHub,
        pollMs: config.deliveryPollMs,
      },
      { store: stores.deliveries, transports, subscribers: services.deliveries, logger, observer: metrics, tracer },
    );
  }
  const scheduler = schedule(new Scheduler(logger), { config, stores, services, worker, bridges });
  const http = await createApp({ config, services, stores, logger, metrics, api, bridges: [...bridges.values()] });
  const attached: WebSocketStreams[] = [];

  return {
    config,
    stores,
    services,
    metrics,
    ...http,
    worker,
    bridges,
    scheduler,
    start() {
      if (worker) {
        worker.start();
        for (const bridge of bridges.values()) bridge.start();
        logger.info('delivery worker started', { owner: worker.owner, leaseMs: worker.leaseMs });
      }
      scheduler.start();
    },
    attach(server) {
      if (!config.apiEnabled) return undefined;
      const streams = attachWebSocketStreams(server, { api: http.api, streams: services.streams, config, logger });
      attached.push(streams);
      return streams;
    },
    async stop(graceMs = config.shutdownGraceMs) {
      // Stream clients are told to resume elsewhere (1001) before the worker drains.
      await Promise.all(attached.splice(0).map((streams) => streams.close()));
      await worker?.stop(graceMs);
      await scheduler.stop();
      await Promise.all([...bridges.values()].map((bridge) => bridge.stop()));
      await client.close();
      await tracer.shutdown().catch((err) => logger.warn('could not send the last spans', { err }));
      if (!given) await stores.close();
    },
  };
}

/**
 * The periodic jobs of a process. Every process refreshes the backlog count (MongoDB); a process that
 * delivers also sweeps the staged outbox, applies the retentions, says it is alive and follows the
 * bridges' sources. Every job is idempotent, so any number of processes may run it.
 */
function schedule(
  scheduler: Scheduler,
  { config, stores, services, worker, bridges }: { config: Config; stores: Stores; services: Services; worker?: DeliveryWorker; bridges: ReadonlyMap<string, Bridge> },
): Scheduler {
  if (config.maxPending > 0 && config.mongodbUrl) {
    scheduler.every('backlog count', PENDING_COUNT_REFRESH_MS, async () => void (await services.pendingLimit.refresh()));
  }
  if (!worker) return scheduler;
  scheduler.every('worker heartbeat', HEARTBEAT_MS, async () => void (await worker.heartbeat()));
  scheduler.every('staged outbox sweep', stagedSweepInterval(config.stagedGraceMs), () =>
    sweepStaged({ store: stores.deliveries, outcome: (d) => services.stagedOutcome(d), graceMs: config.stagedGraceMs, now: Date.now() }),
  );
  if (config.eventRetentionMs > 0) {
    scheduler.every('event retention', retentionSweepInterval(config.eventRetentionMs), async () => ({
      deleted: await deleteExpired({ deleteBefore: (cutoff, limit) => stores.events.deleteStoredBefore(cutoff, limit), retentionMs: config.eventRetentionMs, now: Date.now() }),
    }));
  }
  if (config.deliveryRetentionMs > 0) {
    scheduler.every('finished delivery retention', retentionSweepInterval(config.deliveryRetentionMs), async () => ({
      deleted: await deleteExpired({ deleteBefore: (cutoff, limit) => stores.deliveries.deleteFinishedBefore(cutoff, limit), retentionMs: config.deliveryRetentionMs, now: Date.now() }),
    }));
  }
  for (const [key, bridge] of bridges) scheduler.every(`${key} source refresh`, SOURCE_REFRESH_MS, () => bridge.refreshSources());
  return scheduler;
}

type BridgeLoader = (config: Config, logger: Logger, deps: Omit<SourceDeps, 'logger'>) => Promise<Bridge>;

/**
 * Each broker's adapter, loaded with a dynamic import only when its variable is set (BROKERS names
 * it): a hub without a broker never loads its client library.
 */
const BRIDGE_LOADERS: Readonly<Record<string, BridgeLoader>> = {
  kafka: async (config, logger, deps) => (await import('./kafka/kafka-bridge')).createKafkaBridge(config, logger, deps),
  nats: async (config, logger, deps) => (await import('./nats/nats-bridge')).createNatsBridge(config, logger, deps),
  amqp: async (config, logger, deps) => (await import('./amqp/amqp-bridge')).createAmqpBridge(config, logger, deps),
  mqtt: async (config, logger, deps) => (await import('./mqtt/mqtt-bridge')).createMqttBridge(config, logger, deps),
};

async function loadBridges(config: Config, logger: Logger, deps: (key: string) => Omit<SourceDeps, 'logger'>): Promise<Map<string, Bridge>> {
  const bridges = new Map<string, Bridge>();
  for (const broker of BROKERS) {
    const load = BRIDGE_LOADERS[broker.key];
    if (load && brokerConfigured(config, broker)) bridges.set(broker.key, await load(config, logger, deps(broker.key)));
  }
  return bridges;
}
