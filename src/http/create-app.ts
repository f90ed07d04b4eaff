import Koa from 'koa';
import Router from '@koa/router';
import type OpenAPIBackend from 'openapi-backend';
import type { Config } from '../config';
import type { Services } from '../hub/create-services';
import { NotFoundError } from '../hub/errors';
import type { Logger } from '../logger';
import type { Stores } from '../store/store-types';
import { apiDispatcher } from './api-dispatcher';
import { apiKeyAuth } from './api-key-auth';
import { createOpenApiBackend } from './create-openapi-backend';
import { errorMiddleware } from './error-middleware';
import { requestLogging } from './request-logging';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'maxBodyBytes' | 'listDefaultLimit' | 'listMaxLimit'> & { apiKeys?: readonly string[] };
  services: Services;
  stores: Pick<Stores, 'ping'>;
  logger: Logger;
  /** A backend built earlier by createOpenApiBackend(); built here when absent. */
  api?: OpenAPIBackend;
}

export interface HubApp {
  app: Koa;
  api: OpenAPIBackend;
}

/**
 * Builds the Koa app without listening, so tests drive it with supertest(app.callback()).
 * Order matters: the request id exists before errors are mapped, so error logs carry it.
 */
export async function createApp({ config, services, stores, logger, api: prebuilt }: AppDeps): Promise<HubApp> {
  const api = prebuilt ?? (await createOpenApiBackend());

  const ops = new Router();
  ops.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  ops.get('/ready', async (ctx) => {
    await stores.ping();
    ctx.body = { status: 'ready' };
  });

  const app = new Koa();
  app.silent = true;
  app.use(requestLogging(logger));
  app.use(errorMiddleware());
  app.use(apiKeyAuth(config.apiKeys ?? []));
  app.use(ops.routes());
  app.use(ops.allowedMethods({ throw: false }));
  app.use(apiDispatcher(api, { services, limits: config }, config));
  app.use(async (ctx) => {
    throw new NotFoundError(`No resource path matches ${ctx.path}`);
  });
  return { app, api };
}
