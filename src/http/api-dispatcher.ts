import type { Middleware } from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import { BadRequestError, TmfError } from '../errors';
import type { ApiRequest, HandlerDeps, HttpResult } from './api-request';
import { readJsonBody } from './read-json-body';
import { requiredForProjection, resourceSchemasByOperation } from './response-schemas';

/** Longer query strings are refused before any parsing: no TMF630 query needs more. */
export const MAX_QUERY_LENGTH = 4096;

/** The API is served under both roots: the TMF688 one and the one ODA components use. */
export const API_ROOTS = ['/tmf-api/event/v4', '/tmf-api/eventManagement/v4'] as const;

export interface DispatcherOptions {
  publicUrl?: string;
  maxBodyBytes: number;
}

/** Hands requests under an API root to openapi-backend and writes the handler's result. */
export function apiDispatcher(api: OpenAPIBackend, deps: HandlerDeps, options: DispatcherOptions): Middleware {
  const document = api.definition;
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
    const queryPairs = [...new URLSearchParams(ctx.querystring)];
    // Grouped in a Map and built with fromEntries (own data properties only): a key such as
    // __proto__ or constructor must stay a plain parameter, never reach the object's prototype.
    const grouped = new Map<string, string[]>();
    for (const [key, value] of queryPairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
    const query = Object.fromEntries([...grouped].map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
    const operation = api.matchOperation({ method: ctx.method, path, headers: {} });
    const body = operation?.requestBody ? await readJsonBody(ctx, options.maxBodyBytes) : undefined;
    const request: ApiRequest = {
      baseUrl: `${options.publicUrl ?? `${ctx.protocol}://${ctx.host}`}${root}`,
      params: {},
      queryPairs,
      headers: ctx.headers,
      body,
      requiredFor: (fields) => {
        const schema = operation?.operationId ? resourceSchemas.get(operation.operationId) : undefined;
        return schema ? requiredForProjection(document, schema, fields) : [];
      },
    };
    const result = (await api.handleRequest(
      // The contract declares no security schemes; its one header parameter (Last-Event-ID) is free text.
      // openapi-backend JSON.parses a body that is not an object once more, only to check it is JSON:
      // a JSON string body ("text") goes in as its JSON text so that check passes. Handlers get `request.body`.
      { method: ctx.method, path, query, body: typeof body === 'string' ? JSON.stringify(body) : body, headers: { 'content-type': ctx.get('Content-Type') } },
      request,
      deps,
    )) as HttpResult;
    ctx.status = result.status;
    if (result.headers) ctx.set(result.headers);
    if (result.body !== undefined) ctx.body = result.body;
  };
}
