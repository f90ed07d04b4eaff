import type { Principal } from '../access/principal';
import type { Services } from '../hub/create-services';
import type { FilterableAttributes } from './filterable-attributes';
import type { QueryPairs } from '../query/parse-filter';

/** What an operation handler sees of a request: no Koa or openapi-backend types past this point. */
export interface ApiRequest {
  /** Who the request acts for (the front door authenticated it; OPEN_PRINCIPAL when the hub runs open). */
  principal: Principal;
  /** Absolute base of this API as the client called it, e.g. https://hub.example.com/tmf-api/event/v4 */
  baseUrl: string;
  params: Record<string, string>;
  /** The query string in order, repeated keys kept. */
  queryPairs: QueryPairs;
  /** Request headers by lower-case name, as node:http gives them; read them with headerOf(). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: unknown;
  /** For list operations: which attribute paths a filter may name (derived from the contract). */
  filterable?: FilterableAttributes;
  /**
   * The attribute paths a projection to `fields` must keep so that the answer still satisfies the
   * operation's response schema (its required attributes, nested ones included): `fields=` always
   * keeps them, as it keeps id, href and @type.
   */
  requiredFor(fields: readonly string[]): readonly string[];
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The page sizes of list operations (HUB_LIST_DEFAULT_LIMIT, HUB_LIST_MAX_LIMIT). */
export interface ListLimits {
  listDefaultLimit: number;
  listMaxLimit: number;
}

/** The services and limits a handler works with, passed per request so one router serves any app. */
export interface HandlerDeps {
  services: Services;
  limits: ListLimits;
}

export type OperationHandler = (req: ApiRequest, deps: HandlerDeps) => Promise<HttpResult>;

/** The host name this hub is reached by (HUB_PUBLIC_URL, else the request's host): the CloudEvents WebHook-Request-Origin. */
export function originOf(req: ApiRequest): string {
  return new URL(req.baseUrl).hostname;
}

/** One request header as a string (repeated ones joined, as HTTP allows). */
export function headerOf(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
