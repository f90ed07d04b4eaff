import type { Server } from 'node:http';
import type Koa from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import type { Config } from './config';
import { CallbackGuard } from './delivery/callback-guard';
import { DeliveryWorker } from './delivery/delivery-worker';
import { RetentionSweeper } from './delivery/retention-sweeper';
import { StagedSweeper } from './delivery/staged-sweeper';
import { WebhookClient } from './delivery/webhook-client';
import { ConflictError, TmfError } from './errors';
import { createApp } from './http/create-app';
import { listeningBaseUrl } from './http/hub-base-url';
import { sourcedEventRefusal } from './http/sourced-event-refusal';
import { attachWebSocketStreams, type WebSocketStreams } from './http/websocket-stream';
import type { CallbackValidator } from './hub/callback-validator';
import { createServices, type Services } from './hub/create-services';
import type { KafkaBridge } from './kafka/kafka-bridge';
import { KAFKA_SCHEME } from './store/delivery-types';
import type { Logger } from './logger';
import { HubMetrics } from './metrics/hub-metrics';
import { createStores } from './store/create-stores';
import type { Stores } from './store/store-types';
import { ID_ONLY_TRACER, type Tracer } from './tracing/tracer';

/** How stale the MongoDB outbox's pending count may be for HUB_MAX_PENDING (README, Memory). */
const PENDING_COUNT_REFRESH_MS = 1000;

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
  /** Present when HUB_KAFKA_BROKERS is set. */
  kafka?: KafkaBridge;
  /** Starts the delivery worker and the outbox sweepers, when this process runs them. */
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
 * Config, so what runs in production is what the tests run.
 */
export async function createHub({ config, logger, stores: given, api: shared }: HubDeps): Promise<Hub> {
  const stores = given ?? (await createStores(config, logger));
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
  // The Kafka bridge reads its sources through the services and the contract, which exist below.
  let services: Services | undefined;
  let api: OpenAPIBackend | undefined;
  const kafka: KafkaBridge | undefined = config.kafkaBrokers?.length
    ? (await import('./kafka/kafka-bridge')).createKafkaBridge(config, logger, {
        bindings: async () =>
          (await services!.topics.withSources()).map((topic) => {
            const source = topic.source as { kafka: string; format: 'tmf' | 'cloudevents' };
            return { topicId: topic.id, kafka: source.kafka, format: source.format };
          }),
        ingest: async (topicId, event) => {
          const refused = sourcedEventRefusal(api!, topicId, event);
          if (refused) return { refused };
          try {
            await services!.events.publish(topicId, event, listeningBaseUrl(config));
            return 'stored';
          } catch (err) {
            if (err instanceof ConflictError) return 'duplicate';
            if (err instanceof TmfError && err.status < 500) return { refused: err.message };
            throw err;
          }
        },
      })
    : undefined;
  // kafka: callbacks are checked as Kafka topic names (never resolved as hosts), and refused when Kafka is not configured.
  const callbacks: CallbackValidator = {
    creationRefusal: async (url) => {
      if (!url.startsWith(KAFKA_SCHEME)) return guard.creationRefusal(url);
      return kafka ? kafka.callbackRefusal(url) : 'a kafka: callback needs Kafka, which is not configured on this hub (HUB_KAFKA_BROKERS)';
    },
  };
  services = createServices(stores, {
    listenerSuffix: config.listenerSuffix,
    notifier: { notify: () => worker?.notify() },
    callbacks,
    sources: kafka?.sources,
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
    // The embedded store counts in O(1): every publish reads it. MongoDB's count is refreshed in the background.
    pendingLimit: { max: config.maxPending, refreshMs: config.mongodbUrl ? PENDING_COUNT_REFRESH_MS : 0 },
    publishTurns: config.publishPerTurn > 0 ? { perTurn: config.publishPerTurn, busy: () => worker?.busy() ?? false } : undefined,
  });
  const metrics = new HubMetrics({
    feed: services.feed,
    deliveries: stores.deliveries,
    logger,
    validation: services.validation,
    pendingLimit: services.pendingLimit,
    ...(kafka ? { kafka: () => kafka.status() } : {}),
  });
  const background: Array<{ start(): void; stop(): Promise<void> }> = [];
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
      { store: stores.deliveries, client, records: kafka?.records, subscribers: services.deliveries, logger, observer: metrics, tracer },
    );
    background.push(
      new StagedSweeper(
        { graceMs: config.stagedGraceMs },
        { store: stores.deliveries, eventStored: (topicId, id) => services.events.storedSequence(topicId, id), logger },
      ),
    );
    if (config.eventRetentionMs > 0) {
      background.push(
        new RetentionSweeper(
          { what: 'events', retentionMs: config.eventRetentionMs },
          { deleteBefore: (cutoff, limit) => stores.events.deleteStoredBefore(cutoff, limit), logger },
        ),
      );
    }
    if (config.deliveryRetentionMs > 0) {
      background.push(
        new RetentionSweeper(
          { what: 'finished deliveries', retentionMs: config.deliveryRetentionMs },
          { deleteBefore: (cutoff, limit) => stores.deliveries.deleteFinishedBefore(cutoff, limit), logger },
        ),
      );
    }
  }
  const http = await createApp({ config, services, stores, logger, metrics, api: shared, kafka });
  api = http.api;
  const attached: WebSocketStreams[] = [];

  return {
    config,
    stores,
    services,
    metrics,
    ...http,
    worker,
    kafka,
    start() {
      if (!worker) return;
      worker.start();
      kafka?.start();
      for (const task of background) task.start();
      logger.info('delivery worker started', { owner: worker.owner, leaseMs: worker.leaseMs });
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
      for (const task of background) await task.stop();
      await kafka?.stop();
      await client.close();
      await tracer.shutdown().catch((err) => logger.warn('could not send the last spans', { err }));
      if (!given) await stores.close();
    },
  };
}
