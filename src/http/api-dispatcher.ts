import type { Middleware } from 'koa';
import type OpenAPIBackend from 'openapi-backend';
import type { ApiRequest, HandlerDeps, HttpResult } from './api-request';
import { readJsonBody } from './read-json-body';

/** The API is served under both roots: the TMF688 one and the one ODA components use. */
export const API_ROOTS = ['/tmf-api/event/v4', '/tmf-api/eventManagement/v4'] as const;

export interface DispatcherOptions {
  publicUrl?: string;
  maxBodyBytes: number;
}

/** Hands requests under an API root to openapi-backend and writes the handler's result. */
export function apiDispatcher(api: OpenAPIBackend, deps: HandlerDeps, options: DispatcherOptions): Middleware {
  return async function dispatchApi(ctx, next) {
    const root = API_ROOTS.find((r) => ctx.path === r || ctx.path.startsWith(`${r}/`));
    if (!root) return next();
    const path = ctx.path.slice(root.length) || '/';
    const query: Record<string, string | string[]> = {};
    const queryPairs: Array<[string, string]> = [];
    for (const [key, value] of new URLSearchParams(ctx.querystring)) {
      queryPairs.push([key, value]);
      const existing = query[key];
      query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const operation = api.matchOperation({ method: ctx.method, path, headers: {} });
    const body = operation?.requestBody ? await readJsonBody(ctx, options.maxBodyBytes) : undefined;
    const request: ApiRequest = {
      baseUrl: `${options.publicUrl ?? `${ctx.protocol}://${ctx.host}`}${root}`,
      params: {},
      queryPairs,
      body,
    };
    const result = (await api.handleRequest(
      { method: ctx.method, path, query, body, headers: ctx.headers as Record<string, string | string[]> },
      request,
      deps,
    )) as HttpResult;
    ctx.status = result.status;
    if (result.headers) ctx.set(result.headers);
    if (result.body !== undefined) ctx.body = result.body;
  };
}
