import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import { requestIdFrom } from './request-id';

/** Gives each request an id (request-id.ts), echoes it, and logs one line per request. */
export function requestLogging(logger: Logger): Middleware {
  return async function logRequest(ctx, next) {
    const requestId = requestIdFrom(ctx.get('X-Request-Id'));
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.log.info('request', {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  };
}
