import type { Middleware } from 'koa';
import { TmfError } from '../errors';
import type { Logger } from '../logger';
import { DocumentRefusedError, StoreUnavailableError } from '../store/store-errors';

export interface TmfErrorBody {
  code: string;
  reason: string;
  message: string;
  status: string;
  '@type': 'Error';
}

export function tmfErrorBody(status: number, code: string, reason: string, message: string): TmfErrorBody {
  return { code, reason, message, status: String(status), '@type': 'Error' };
}

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: TmfErrorBody;
}

/**
 * The one place that turns errors into HTTP answers: TMF errors as they are, a document the store
 * refuses as 400, an unreachable store as 503, anything else as a 500 whose body says nothing about
 * internals (the log has the details). The Koa middleware below and the WebSocket upgrade (which
 * answers on the raw socket) both use it.
 */
export function errorAnswer(err: unknown, requestId: string | undefined, log?: Pick<Logger, 'info' | 'warn' | 'error'>): ErrorAnswer {
  if (err instanceof TmfError) return { status: err.status, headers: err.headers, body: tmfErrorBody(err.status, err.code, err.reason, err.message) };
  if (err instanceof DocumentRefusedError) {
    // The client's document, not the hub, is at fault; the driver's own words stay in the log.
    log?.info('document refused by the store', { path: err.path, err: err.cause ?? err });
    return { status: 400, headers: {}, body: tmfErrorBody(400, 'BadRequest', 'Document cannot be stored', err.message) };
  }
  if (err instanceof StoreUnavailableError) {
    log?.warn('store unavailable', { err: err.cause ?? err });
    return { status: 503, headers: { 'Retry-After': '5' }, body: tmfErrorBody(503, 'ServiceUnavailable', 'Service unavailable', 'The event store cannot be reached; retry later') };
  }
  log?.error('unhandled error', { err });
  return {
    status: 500,
    headers: {},
    body: tmfErrorBody(500, 'InternalError', 'Internal server error', `The request failed; quote request id ${requestId ?? 'unknown'} when reporting it`),
  };
}

export function errorMiddleware(): Middleware {
  return async function mapErrors(ctx, next) {
    try {
      await next();
    } catch (err) {
      const answer = errorAnswer(err, ctx.state.requestId, ctx.state.log);
      ctx.status = answer.status;
      ctx.set(answer.headers);
      ctx.body = answer.body;
    }
  };
}
