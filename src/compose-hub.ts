import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Bridge } from './bridge/bridge';
import type { SourceDeps } from './bridge/source-reader';
import type { Server as HttpsServer } from 'node:https';
import { hostname } from 'node:os';
import type Koa from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import { createAccess, type Access } from './access/create-access';
import type { Config } from './config';
import { BROKERS, brokerConfigured } from './config/brokers';
import { CredentialedClient } from './delivery/credentialed-client';
import { deleteExpired, retentionSweepInterval, type Retention } from './delivery/delete-expired';
import { DeliveryWorker, HEARTBEAT_MS } from './delivery/delivery-worker';
import { deliveryThreadClient } from './delivery/delivery-thread';
import { httpTransport } from './delivery/http-transport';
import { recordTransport } from './delivery/record-transport';
import { stagedSweepInterval, sweepStaged } from './delivery/sweep-staged';
import { TransportRegistry } from './delivery/transport-registry';
import { webhookClientFor, webhookSettings } from './delivery/webhook-settings';
import { AccessGate } from './http/access-gate';
import { createApp } from './http/create-app';
import { createOpenApiBackend } from './http/create-openapi-backend';
import { listeningBaseUrl } from './http/hub-base-url';
import { sourcedEventRefusal } from './http/sourced-event-refusal';
import { attachWebSocketStreams, type WebSocketStreams } from './http/websocket-stream';
import { createServices, type Services } from './hub/create-services';
import { watchHeapUse } from './heap-use';
import type { EventSource } from './hub/event-source';
import { PollSources } from './hub/poll-sources';
import { TopicPoller } from './hub/topic-poller';
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
/** How often a delivering process looks for poll sources that are due (the shortest interval is 1 s). */
const POLL_TICK_MS = 500;

type Deps = { config: Config; stores: Stores; services: Services };

export interface HubDeps {
  config: Config;
  logger: Logger;
  /** Stores made elsewhere (tests share them); by default the configured ones, which stop() then closes. */
  stores?: Stores;
  /** An initialised backend to share (initialising one compiles every schema: most of a second). */
  api?: OpenAPIBackend;
  /** Access control read earlier (main checks the clients file before it forks); by default read from the config here. */
  access?: Access;
}

/** One hub process: its stores, domain services, HTTP app and, for the worker role, its background work. */
export interface Hub {
  config: Config;
  stores: Stores;
  services: Services;
  metrics: HubMetrics;
  app: Koa;
  api: OpenAPIBackend;
  /** Who may call: the clients, the token verifier, whether the hub is open. */
  access: Access;
  /** Present when this process delivers (HUB_WORKER_ENABLED). */
  worker?: DeliveryWorker;
  /** The configured broker bridges, by key (`kafka` when HUB_KAFKA_BROKERS is set, `nats`, `amqp`, `mqtt`). */
  bridges: ReadonlyMap<string, Bridge>;
  /** The topics whose source polls an HTTP API (issue 28); polled by the processes that deliver. */
  polls: PollSources;
  /** This process's periodic jobs (sweeps, retention, heartbeats, the backlog count, source refresh). */
  scheduler: Scheduler;
  /** Starts the periodic jobs, and the delivery worker and the bridges' sources when this process delivers. */
  start(): void;
  /**
   * Serves what needs the HTTP server itself rather than the request handler: the WebSocket live
   * stream (upgrades). main calls it once it listens, and so do tests that listen on a real port.
   */
  attach(server: Server | HttpsServer): WebSocketStreams | undefined;
  /** Stops the background work (attempts in flight get `graceMs`), the webhook client, and the stores it opened. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The one composition root: main, the seed command and the tests all build a hub here, from one
 * Config, so what runs in production is what the tests run. It only wires: every decision lives in
 * the layers below.
 */
export async function composeHub({ config, logger, stores: given, api: shared, access: read }: HubDeps): Promise<Hub> {
  const access = read ?? (await createAccess(config, (problem) => logger.warn(problem)));
  for (const warning of access.warnings) logger.warn(warning);
  const stores = given ?? (await createStores(config, logger));
  const api = shared ?? (await createOpenApiBackend(config));
  // The webhook client under the callback guard, one pool per origin as large as the attempts in flight.
  const { guard, client } = webhookClientFor(webhookSettings(config));
  // Plain HTTP deliveries' requests on a thread of their own (HUB_DELIVERY_THREAD), beside the API.
  const threaded = config.workerEnabled ? deliveryThreadClient(config, logger) : undefined;
  // Listeners that require credentials: tokens and client-certificate pools per hub (docs/security.md).
  const credentialed = new CredentialedClient(client, { logger, tokenTimeoutMs: config.deliveryTimeoutMs });
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
    httpTransport(threaded ?? client, guard, credentialed),
    [...bridges.values()].map((bridge) => recordTransport(bridge.target)),
  );
  const polls = new PollSources({
    poller: new TopicPoller({
      stores,
      ingest: (topicId, event) => services!.ingest.ingest(topicId, event),
      // Under the callback guard (connect-time check), within the timeout and the body cap; auth as a listener's.
      fetch: (key, auth, url) => credentialed.get(key, auth, { url, headers: {}, timeoutMs: config.pollTimeoutMs, maxBytes: config.pollMaxBytes }),
      maxResources: config.pollMaxResources,
    }),
    stores,
    logger,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: config.pollConcurrency,
  });
  const sources = new Map<string, EventSource>([...[...bridges].map(([key, bridge]) => [key, bridge.sources] as const), ['poll', polls]]);
  // The live heap near its limit refuses publishing (503), before V8 would stop the process.
  const heapUse = watchHeapUse();
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
    odaCallbackBase: config.odaCallbackBase,
    schemaValidation: { defaultMode: config.schemaValidation, cacheTtlMs: config.schemaCacheTtlMs },
    handshake: {
      probe: { options: (url, headers, credentials) => credentialed.options(credentials, { url, headers, timeoutMs: config.deliveryTimeoutMs }) },
      requestRate: config.handshakeRate,
    },
    credentialsChanged: (hubId, credentials) => credentialed.changed(hubId, credentials),
    tracer,
    // The embedded store counts in O(1): every publish reads it. MongoDB's count is refreshed by the scheduler.
    pendingLimit: { max: config.maxPending, refreshMs: config.mongodbUrl ? PENDING_COUNT_REFRESH_MS : 0 },
    heapUse,
    publishTurns: config.publishPerTurn > 0 ? { perTurn: config.publishPerTurn, busy: () => worker?.busy() ?? false } : undefined,
    logger,
  });
  const metrics = new HubMetrics({
    feed: services.feed,
    deliveries: stores.deliveries,
    logger,
    validation: services.validation,
    pendingLimit: services.pendingLimit,
    certificates: () => credentialed.certificates.secondsLeft(),
    concurrencyWindows: () => worker?.concurrencyWindows() ?? [],
    bridges: [...bridges.values()],
    polls,
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
  const scheduler = schedule(new Scheduler(logger), { config, stores, services, worker, bridges, access, polls });
  const gate = new AccessGate(access.authenticator, services.audit, logger);
  const http = await createApp({ config, access: gate, services, stores, logger, metrics, api, bridges: [...bridges.values()] });
  const attached: WebSocketStreams[] = [];

  return {
    config,
    stores,
    services,
    metrics,
    ...http,
    access,
    worker,
    bridges,
    polls,
    scheduler,
    start() {
      if (worker) {
        worker.start();
        for (const bridge of bridges.values()) bridge.start();
        logger.info('delivery worker started', { owner: worker.owner, leaseMs: worker.leaseMs, deliveryThread: threaded ? 'on' : 'off' });
      }
      scheduler.start();
      // The issuer's keys now, so that a wrong HUB_OIDC_ISSUER shows in the log at start (the verifier reports it), not at the first token.
      void access.verifier?.warm();
    },
    attach(server) {
      if (!config.apiEnabled) return undefined;
      const streams = attachWebSocketStreams(server, { api: http.api, streams: services.streams, config, access: gate, logger });
      attached.push(streams);
      return streams;
    },
    async stop(graceMs = config.shutdownGraceMs) {
      // Stream clients are told to resume elsewhere (1001) before the worker drains.
      await Promise.all(attached.splice(0).map((streams) => streams.close()));
      await worker?.stop(graceMs);
      await scheduler.stop();
      await polls.stop();
      await Promise.all([...bridges.values()].map((bridge) => bridge.stop()));
      await credentialed.close();
      await Promise.all([client.close(), threaded?.close()]);
      await tracer.shutdown().catch((err) => logger.warn('could not send the last spans', { err }));
      heapUse.stop();
      if (!given) await stores.close();
    },
  };
}

/**
 * The periodic jobs of a process. Every process refreshes the backlog count (MongoDB), and one that
 * serves the API applies the audit trail's retention (and, when some client has a publish quota,
 * says it is alive); a process that delivers also sweeps the staged outbox, applies the other
 * retentions, says it is alive and follows the bridges' sources. Every job is idempotent, so any
 * number of processes may run it.
 */
function schedule(
  scheduler: Scheduler,
  { config, stores, services, worker, bridges, access, polls }: Deps & { worker?: DeliveryWorker; bridges: ReadonlyMap<string, Bridge>; access: Access; polls: PollSources },
): Scheduler {
  if (config.maxPending > 0 && config.mongodbUrl) {
    scheduler.every('backlog count', PENDING_COUNT_REFRESH_MS, async () => void (await services.pendingLimit.refresh()));
  }
  // Audit records are written where the API is served, so those processes keep the trail's retention.
  if (config.apiEnabled) retention(scheduler, 'audit retention', config.auditRetentionMs, (cutoff, limit) => stores.audit.deleteStoredBefore(cutoff, limit));
  if (config.apiEnabled && access.publishQuotas) {
    // The processes serving the API share each client's publishPerSecond: each counts the others (docs/security.md, Quotas).
    const name = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    scheduler.every('API process heartbeat', HEARTBEAT_MS, async () => {
      services.publishRate.shareAmong(await stores.deliveries.heartbeat('api', name, Date.now(), 3 * HEARTBEAT_MS));
    });
  }
  if (!worker) return scheduler;
  scheduler.every('worker heartbeat', HEARTBEAT_MS, async () => void (await worker.heartbeat()));
  scheduler.every('staged outbox sweep', stagedSweepInterval(config.stagedGraceMs), () =>
    sweepStaged({ store: stores.deliveries, outcome: (d) => services.stagedOutcome(d), graceMs: config.stagedGraceMs, now: Date.now() }),
  );
  retention(scheduler, 'event retention', config.eventRetentionMs, (cutoff, limit) => stores.events.deleteStoredBefore(cutoff, limit));
  retention(scheduler, 'kept state retention', config.eventRetentionMs, (cutoff, limit) => services.states.deleteKeptBefore(cutoff, limit));
  retention(scheduler, 'finished delivery retention', config.deliveryRetentionMs, (cutoff, limit) => stores.deliveries.deleteFinishedBefore(cutoff, limit));
  for (const [key, bridge] of bridges) scheduler.every(`${key} source refresh`, SOURCE_REFRESH_MS, () => bridge.refreshSources());
  // Starts the poll sources that are due (without waiting for them) and renews this process's leases.
  scheduler.every('poll sources', POLL_TICK_MS, () => polls.tick());
  return scheduler;
}

/** A retention sweep as a job, unless the retention is 0 (keep forever). */
function retention(scheduler: Scheduler, name: string, retentionMs: number, deleteBefore: Retention['deleteBefore']): void {
  if (retentionMs <= 0) return;
  scheduler.every(name, retentionSweepInterval(retentionMs), async () => ({ deleted: await deleteExpired({ deleteBefore, retentionMs, now: Date.now() }) }));
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
