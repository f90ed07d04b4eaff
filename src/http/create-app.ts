import Koa from 'koa';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import type { Config } from '../config';
import type { Services } from '../hub/create-services';
import { NotFoundError, TmfError } from '../errors';
import type { Logger } from '../logger';
import { BACKLOG_RETRY_AFTER_SECONDS, refusalReason } from '../hub/pending-limit';
import type { HubMetrics } from '../metrics/hub-metrics';
import { bridgeReadiness, type BridgeStatus } from '../bridge/bridge-status';
import type { Stores } from '../store/store-types';
import { apiDispatcher } from './api-dispatcher';
import type { AccessGate } from './access-gate';
import { createOpenApiBackend } from './create-openapi-backend';
import { COMPUTED_ATTRIBUTES, OPERATION_HANDLERS } from './operation-handlers';
import { errorMiddleware } from './error-middleware';
import { requestLogging } from './request-logging';
import { siteAccess } from './site-access';
import { siteRoutes } from './site-routes';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'maxBodyBytes' | 'listDefaultLimit' | 'listMaxLimit' | 'apiEnabled' | 'publicDocs'>;
  /** Who may call: every door asks it (the API's front door, /metrics, the documents). */
  access: AccessGate;
  services: Services;
  stores: Pick<Stores, 'ping' | 'deliveries'>;
  logger: Logger;
  /** The process's metrics, shared with its delivery worker. */
  metrics: HubMetrics;
  /** A backend built earlier by createOpenApiBackend() with the same listMaxLimit; built here when absent. */
  api?: OpenAPIBackend;
  /** The configured broker bridges (Kafka, NATS, RabbitMQ, MQTT): /ready reports each one's state. */
  bridges?: ReadonlyArray<{ key: string; status(): BridgeStatus }>;
}

export interface HubApp {
  app: Koa;
  api: OpenAPIBackend;
}

/**
 * Builds the Koa app without listening, so tests drive it with supertest(app.callback()).
 * Order matters: the request id exists before errors are mapped, so error logs carry it.
 */
export async function createApp({ config, access, services, stores, logger, api: prebuilt, metrics, bridges = [] }: AppDeps): Promise<HubApp> {
  const api = prebuilt ?? (await createOpenApiBackend(config));
  // The probes and metrics serve every role; HUB_API_ENABLED=false (a worker-only process) serves nothing else.
  const ops = new Router();
  ops.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  ops.get('/ready', async (ctx) => {
    await stores.ping();
    const backlog = await services.pendingLimit.state();
    if (backlog.over) {
      // Not ready while producers are refused: the TMF Error's message says why, for the operator.
      const why = backlog.heap
        ? `Not ready: ${refusalReason(backlog)}; publishing answers 503 until it falls below (as the worker drains the backlog; if the data the caps keep does not fit, lower HUB_MEMORY_MAX_EVENTS or HUB_MEMORY_MAX_DELIVERIES, or raise HUB_HEAP_LIMIT)`
        : `Not ready: pending deliveries (${backlog.pending}) passed HUB_MAX_PENDING (${backlog.max}); publishing answers 503 until the worker drains them`;
      throw new TmfError(503, 'ServiceUnavailable', backlog.heap ? 'Hub memory full' : 'Too many pending deliveries', why, { 'Retry-After': String(BACKLOG_RETRY_AFTER_SECONDS) });
    }
    // A broker's state is reported, not required: while it is away, deliveries to it are retried and the API serves on.
    ctx.body = { status: 'ready', ...Object.fromEntries(bridges.map((bridge) => [bridge.key, bridgeReadiness(bridge.status())])) };
  });
  ops.get('/metrics', async (ctx) => {
    const { contentType, body } = await metrics.scrape();
    ctx.type = contentType;
    ctx.body = body;
  });

  const app = new Koa();
  app.silent = true;
  app.use(requestLogging(logger));
  app.use(errorMiddleware());
  app.use(siteAccess(access, config));
  if (config.apiEnabled) {
    // First: the routers below serve nothing under the API roots, and the dispatcher answers every
    // path there (or passes the rest on at once), so an API request skips their matching.
    app.use(apiDispatcher(api, OPERATION_HANDLERS, { services, limits: config }, { ...config, computedAttributes: COMPUTED_ATTRIBUTES, access }));
    const site = siteRoutes({
      credentialsRequired: !access.open,
      limits: config,
      eventSchemas: () => services.schemas.latestOfEveryType(),
    });
    app.use(ops.routes());
    app.use(site.routes());
    app.use(methodNotAllowed([ops, site]));
  } else {
    app.use(ops.routes());
    app.use(methodNotAllowed([ops]));
  }
  app.use(async (ctx) => {
    throw new NotFoundError(`No resource path matches ${ctx.path}`);
  });
  return { app, api };
}

/** A path the routers serve, asked with a method they do not: 405 with Allow, as on the API. */
function methodNotAllowed(routers: readonly Router[]): Middleware {
  return async (ctx, next) => {
    const allowed = new Set(routers.flatMap((r) => r.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods)));
    if (allowed.size === 0) return next();
    const allow = [...allowed].join(', ');
    throw new TmfError(405, 'MethodNotAllowed', 'Method not allowed', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}`, { Allow: allow });
  };
}
