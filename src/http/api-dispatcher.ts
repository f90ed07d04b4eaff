import type { Middleware } from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import type { HandlerDeps, HttpResult, OperationHandler } from './api-request';
import { apiFrontDoor, type FrontDoorOptions } from './api-front-door';
import { readJsonBody } from './read-json-body';
import { successAuditEntry } from './success-audit';

// Where the seed's URLs have always found it.

export interface DispatcherOptions extends Pick<FrontDoorOptions, 'publicUrl' | 'computedAttributes' | 'access'> {
  maxBodyBytes: number;
}

/**
 * Serves the API over Koa: the front door (api-front-door.ts) authenticates, routes, checks the
 * permission, reads the body, validates and works out the base URL; this calls the operation's
 * handler, records in the audit trail a successful state change (audited-operations.ts) or a refusal
 * the services made (a topic out of scope, a quota), and writes its result. Throws at boot if the
 * contract and the handlers differ.
 */
export function apiDispatcher(
  api: OpenAPIBackend,
  handlers: Readonly<Record<string, OperationHandler>>,
  deps: HandlerDeps,
  options: DispatcherOptions,
): Middleware {
  const ids = new Set(api.getOperations().map((o) => o.operationId ?? ''));
  const missing = [...ids].filter((id) => !handlers[id]);
  const unknown = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length || unknown.length) {
    throw new Error(`The contract and the handlers differ: no handler for [${missing.join(', ')}], no operation for [${unknown.join(', ')}]`);
  }
  const { access } = options;
  const admit = apiFrontDoor(api, { publicUrl: options.publicUrl, computedAttributes: options.computedAttributes, access });

  return async function dispatchApi(ctx, next) {
    const call = await admit({
      method: ctx.method,
      path: ctx.path,
      querystring: ctx.querystring,
      headers: ctx.headers,
      // Koa's view of the request: https over TLS, and the Host header (or :authority over HTTP/2).
      protocol: ctx.protocol,
      host: ctx.host,
      socket: ctx.req.socket,
      readBody: (textTypes) => readJsonBody(ctx, options.maxBodyBytes, textTypes),
    });
    if (!call) return next();
    let result: HttpResult;
    try {
      result = await handlers[call.operationId](call.request, deps);
    } catch (err) {
      // A topic out of scope, a quota: refused by the services, recorded here with who and what.
      access?.refused(err, call.request.principal.name, { operation: call.operationId, resource: ctx.path });
      throw err;
    }
    // A state change and its record go together: awaited before the answer (record() never throws).
    const audited = successAuditEntry(call, ctx.path, result);
    if (audited) await deps.services.audit.record(audited);
    ctx.status = result.status;
    if (result.headers) ctx.set(result.headers);
    if (result.body !== undefined) ctx.body = result.body;
  };
}
