import type { Middleware } from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import { BadRequestError, NotFoundError, TmfError } from '../errors';
import type { ApiRequest, HandlerDeps, HttpResult, OperationHandler } from './api-request';
import { filterableAttributesByOperation } from './filterable-attributes';
import { OperationRouter } from './operation-router';
import { readJsonBody } from './read-json-body';
import { validationMessage } from './validation-message';
import { requiredForProjection, resourceSchemasByOperation } from './response-schemas';

/** Longer query strings are refused before any parsing: no TMF630 query needs more. */
export const MAX_QUERY_LENGTH = 4096;

/** The API is served under both roots: the TMF688 one and the one ODA components use. */
export const API_ROOTS = ['/tmf-api/event/v4', '/tmf-api/eventManagement/v4'] as const;

export interface DispatcherOptions {
  publicUrl?: string;
  maxBodyBytes: number;
  /** Per list operation, shown attributes that are computed (not stored), so not filterable. */
  computedAttributes?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Serves the API: routes each request once (OperationRouter), reads the body only for operations
 * that take one, validates with the contract's compiled validators (openapi-backend), calls the
 * operation's handler and writes its result. Throws at boot if the contract and the handlers differ.
 */
export function apiDispatcher(
  api: OpenAPIBackend,
  handlers: Readonly<Record<string, OperationHandler>>,
  deps: HandlerDeps,
  options: DispatcherOptions,
): Middleware {
  const operations = api.getOperations();
  const ids = new Set(operations.map((o) => o.operationId ?? ''));
  const missing = [...ids].filter((id) => !handlers[id]);
  const unknown = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length || unknown.length) {
    throw new Error(`The contract and the handlers differ: no handler for [${missing.join(', ')}], no operation for [${unknown.join(', ')}]`);
  }
  const router = new OperationRouter(operations);
  const document = api.definition;
  const filterable = filterableAttributesByOperation(document, options.computedAttributes);
  const resourceSchemas = resourceSchemasByOperation(document);

  return async function dispatchApi(ctx, next) {
    const root = API_ROOTS.find((r) => ctx.path === r || ctx.path.startsWith(`${r}/`));
    if (!root) return next();
    if (ctx.querystring.length > MAX_QUERY_LENGTH) {
      throw new TmfError(414, 'URITooLong', 'URI too long', `The query string exceeds ${MAX_QUERY_LENGTH} characters`);
    }
    const path = ctx.path.slice(root.length) || '/';
    try {
      decodeURIComponent(path);
    } catch {
      throw new BadRequestError('The path has a malformed percent-encoding', 'Malformed path');
    }
    const match = router.match(ctx.method, path);
    if (match.kind === 'notFound') throw new NotFoundError(`No resource path matches ${path}`);
    if (match.kind === 'methodNotAllowed') {
      const allow = match.allowed.join(', ');
      throw new TmfError(405, 'MethodNotAllowed', 'Method not allowed', `${ctx.method} is not allowed on ${path}; allowed: ${allow}`, { Allow: allow });
    }
    const { operation, params } = match;
    const queryPairs = [...new URLSearchParams(ctx.querystring)];
    // Grouped in a Map and built with fromEntries (own data properties only): a key such as
    // __proto__ or constructor must stay a plain parameter, never reach the object's prototype.
    const grouped = new Map<string, string[]>();
    for (const [key, value] of queryPairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
    const query = Object.fromEntries([...grouped].map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
    const declared = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {};
    const textTypes = Object.keys(declared).filter((type) => type !== 'application/json');
    const body = operation.requestBody ? await readJsonBody(ctx, options.maxBodyBytes, textTypes) : undefined;
    const validation = api.validateRequest(
      // The contract declares no security schemes; its one header parameter (Last-Event-ID) is free text.
      // openapi-backend JSON.parses a body that is not an object once more, only to check it is JSON:
      // a JSON string body ("text") goes in as its JSON text so that check passes. Handlers get `request.body`.
      { method: ctx.method, path, query, body: typeof body === 'string' ? JSON.stringify(body) : body, headers: { 'content-type': ctx.get('Content-Type') } },
      operation,
    );
    if (validation.errors) throw new BadRequestError(validationMessage(validation.errors), 'Invalid request');
    const request: ApiRequest = {
      baseUrl: `${options.publicUrl ?? `${ctx.protocol}://${ctx.host}`}${root}`,
      params,
      queryPairs,
      headers: ctx.headers,
      body,
      filterable: filterable.get(operation.operationId as string),
      requiredFor: (fields) => {
        const schema = resourceSchemas.get(operation.operationId as string);
        return schema ? requiredForProjection(document, schema, fields) : [];
      },
    };
    const result: HttpResult = await handlers[operation.operationId as string](request, deps);
    ctx.status = result.status;
    if (result.headers) ctx.set(result.headers);
    if (result.body !== undefined) ctx.body = result.body;
  };
}
