import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Context } from 'openapi-backend';
import { BadRequestError, NotFoundError, TmfError } from '../errors';
import type { ApiRequest, HandlerDeps, HttpResult, OperationHandler } from './api-request';
import { deliveryHandlers } from './handlers/delivery-handlers';
import { eventHandlers } from './handlers/event-handlers';
import { hubHandlers } from './handlers/hub-handlers';
import { inboxHandlers } from './handlers/inbox-handlers';
import { listenerHandlers } from './handlers/listener-handlers';
import { topicHandlers } from './handlers/topic-handlers';
import { contractDocument, type ContractLimits } from './contract-document';
import { validationMessage } from './validation-message';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Builds the spec-driven router and validator. Strict mode refuses an invalid document or a handler
 * for an unknown operation; the check below also refuses an operation without a handler. Routing and
 * validation failures throw TMF errors, mapped to HTTP by the error middleware.
 */
export const OPERATION_HANDLERS: Record<string, OperationHandler> = {
  ...topicHandlers,
  ...eventHandlers,
  ...hubHandlers,
  ...listenerHandlers,
  ...deliveryHandlers,
  ...inboxHandlers,
};

/**
 * The backend holds no per-app state (handlers get their services per request), so a process builds
 * it once: initialising it compiles every schema, which takes most of a second. It validates against
 * contractDocument(limits), the document /openapi.json serves for the same limits.
 */
export async function createOpenApiBackend(limits: ContractLimits, handlers = OPERATION_HANDLERS): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: contractDocument(limits),
    strict: true,
    apiRoot: '/',
    // date-time and uri appear throughout the TMF schemas; without the formats ajv would skip those checks.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  for (const [operationId, handler] of Object.entries(handlers)) {
    api.register(operationId, (c: Context, req: ApiRequest, deps: HandlerDeps): Promise<HttpResult> =>
      handler({ ...req, params: c.request.params as Record<string, string> }, deps),
    );
  }
  api.register({
    validationFail: (c: Context) => {
      throw new BadRequestError(validationMessage(c.validation.errors), 'Invalid request');
    },
    notFound: (c: Context) => {
      throw new NotFoundError(`No resource path matches ${c.request.path}`);
    },
    methodNotAllowed: (c: Context) => {
      const allow = allowedMethods(api, c.request.path).join(', ');
      throw new TmfError(405, 'MethodNotAllowed', 'Method not allowed',
        `${c.request.method.toUpperCase()} is not allowed on ${c.request.path}; allowed: ${allow}`, { Allow: allow });
    },
  });
  await api.init();
  // openapi-backend rebuilds its operation list (lodash over the whole document) on every routing
  // call, twice per request; the document is fixed once init() has run, so build the list once.
  const operations = api.router.getOperations();
  api.router.getOperations = () => operations;
  memoizeRouting(api);
  const missing = api.getOperations().map((o) => o.operationId).filter((id) => !id || !handlers[id]);
  if (missing.length) throw new Error(`No handler for operations: ${missing.join(', ')}`);
  return api;
}

const ROUTE_CACHE_LIMIT = 10_000;

/**
 * Routing the same method and path gives the same operation, and a publisher hits the same path
 * over and over: remember recent answers (the library's own router decides every miss, so its
 * semantics are unchanged, 404 and 405 errors included as they are not cached).
 */
function memoizeRouting(api: OpenAPIBackend): void {
  const router = api.router;
  const route = router.matchOperation.bind(router) as (req: { method: string; path: string }, strict?: boolean) => ReturnType<typeof router.matchOperation>;
  const cache = new Map<string, ReturnType<typeof router.matchOperation>>();
  router.matchOperation = ((req: { method: string; path: string }, strict?: boolean) => {
    const key = `${strict ? 1 : 0} ${req.method} ${req.path}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const found = route(req, strict);
    if (found) {
      if (cache.size >= ROUTE_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(key, found);
    }
    return found;
  }) as typeof router.matchOperation;
}

export function allowedMethods(api: OpenAPIBackend, path: string): string[] {
  return METHODS.filter((method) => api.matchOperation({ method, path, headers: {} })).map((m) => m.toUpperCase());
}
