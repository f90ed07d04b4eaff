import type { Middleware } from 'koa';
import { TmfError } from '../errors';
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

/**
 * The one place that turns errors into HTTP answers: TMF errors as they are, a document the store
 * refuses as 400, an unreachable store as 503, anything else as a 500 whose body says nothing about internals (the log has the details).
 */
export function errorMiddleware(): Middleware {
  return async function mapErrors(ctx, next) {
    try {
      await next();
    } catch (err) {
      if (err instanceof TmfError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = tmfErrorBody(err.status, err.code, err.reason, err.message);
        return;
      }
      if (err instanceof StoreUnavailableError) {
        ctx.state.log?.warn('store unavailable', { err: err.cause ?? err });
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = tmfErrorBody(503, 'ServiceUnavailable', 'Service unavailable', 'The event store cannot be reached; retry later');
        return;
      }
      if (err instanceof DocumentRefusedError) {
        // The client's document, not the hub, is at fault; the driver's own words stay in the log.
        ctx.state.log?.info('document refused by the store', { path: err.path, err: err.cause ?? err });
        ctx.status = 400;
        ctx.body = tmfErrorBody(400, 'BadRequest', 'Document cannot be stored', err.message);
        return;
      }
      ctx.state.log?.error('unhandled error', { err });
      ctx.status = 500;
      ctx.body = tmfErrorBody(500, 'InternalError', 'Internal server error', `The request failed; quote request id ${ctx.state.requestId ?? 'unknown'} when reporting it`);
    }
  };
}
