import type { IncomingHttpHeaders } from 'node:http';
import type OpenAPIBackend from 'openapi-backend';
import type { Operation } from 'openapi-backend';
import { OPEN_PRINCIPAL } from '../access/principal';
import { BadRequestError, NotFoundError, TmfError } from '../errors';
import type { QueryPairs } from '../query/parse-filter';
import type { AccessGate } from './access-gate';
import type { ApiRequest } from './api-request';
import { API_ROOTS } from './api-roots';
import { contractRefusal } from './contract-refusal';
import { filterableAttributesByOperation } from './filterable-attributes';
import { hubOrigin, type RequestAuthority } from './hub-base-url';
import { permissionOf } from './operation-permissions';
import { OperationRouter } from './operation-router';
import { requiredForProjection, resourceSchemasByOperation } from './response-schemas';

/** Longer query strings are refused before any parsing: no TMF630 query needs more. */
export const MAX_QUERY_LENGTH = 4096;

/** A request at the door, whichever way it came (a Koa context, a WebSocket upgrade). */
export interface FrontDoorRequest extends RequestAuthority {
  method: string;
  /** Without the query string, still percent-encoded. */
  path: string;
  /** Without its `?`. */
  querystring: string;
  headers: IncomingHttpHeaders;
  /** A bearer credential presented other than in Authorization (the WebSocket subprotocols). */
  bearer?: string;
  /** Reads the body, for an operation that takes one; `textTypes` are the non-JSON types it declares. */
  readBody?(textTypes: readonly string[]): Promise<unknown>;
}

/** A request the door let in: the operation to call and what its handler sees. */
export interface ApiCall {
  operationId: string;
  request: ApiRequest;
}

export interface FrontDoorOptions {
  /** HUB_PUBLIC_URL: the base of every href and Location when set. */
  publicUrl?: string;
  /** Per list operation, shown attributes that are computed (not stored), so not filterable. */
  computedAttributes?: Readonly<Record<string, readonly string[]>>;
  /** Only these operations are served (the WebSocket upgrade serves the stream); by default all. */
  operationIds?: readonly string[];
  /** The 404 for a path under an API root that no served operation has (given the whole path). */
  notFound?: (path: string) => TmfError;
  /** Who may call: authentication and each operation's permission (operation-permissions.ts). Absent: every request is the open principal. */
  access?: AccessGate;
}

/** Undefined when the path is under neither API root: not the API's request. Throws the TMF Error of a refused one. */
export type FrontDoor = (request: FrontDoorRequest) => Promise<ApiCall | undefined>;

interface Served {
  operation: Operation;
  operationId: string;
  /** The non-JSON request body types the operation declares (e.g. application/yaml); undefined when it takes no body. */
  textTypes?: readonly string[];
}

/**
 * The one way into the API, for the HTTP dispatcher and the WebSocket upgrade alike: root match under
 * both roots, the query-length limit (414), the path's percent-encoding, authentication (401, before
 * a 404 or 405 says anything of the API's paths), routing (404, 405 with Allow), the operation's
 * permission (403, before the body is read), the query grouped by name, the body for operations that
 * take one, contract validation (400), and the hub's base URL (hub-base-url.ts). Everything per
 * operation is worked out here, once.
 */
export function apiFrontDoor(api: OpenAPIBackend, options: FrontDoorOptions = {}): FrontDoor {
  const operations = api.getOperations().filter((o) => !options.operationIds || options.operationIds.includes(o.operationId ?? ''));
  const router = new OperationRouter(operations);
  const document = api.definition;
  const filterable = filterableAttributesByOperation(document, options.computedAttributes);
  const resourceSchemas = resourceSchemasByOperation(document);
  const served = new Map<Operation, Served>(operations.map((operation) => [operation, servedOperation(operation)]));
  // The whole path, as the app's own 404 for paths outside the API says it.
  const notFound = options.notFound ?? ((path: string) => new NotFoundError(`No resource path matches ${path}`));
  const originOf = originRule(options.publicUrl);
  const { access } = options;

  return async function admit(request) {
    const root = API_ROOTS.find((r) => request.path === r || request.path.startsWith(`${r}/`));
    if (!root) return undefined;
    if (request.querystring.length > MAX_QUERY_LENGTH) {
      throw new TmfError(414, 'URITooLong', 'URI too long', `The query string exceeds ${MAX_QUERY_LENGTH} characters`);
    }
    const path = request.path.slice(root.length) || '/';
    try {
      decodeURIComponent(path);
    } catch {
      throw new BadRequestError('The path has a malformed percent-encoding', 'Malformed path');
    }
    const match = router.match(request.method, path);
    const found = match.kind === 'operation' ? served.get(match.operation)! : undefined;
    const where = { operation: found?.operationId ?? `${request.method} ${request.path}`, resource: request.path };
    // Open access (no credential source): every request is the open principal, an admin without
    // scopes that every permission check passes, so neither is asked (nor awaited) per request.
    const gated = access !== undefined && !access.open;
    const principal = gated ? await access.principal({ authorization: request.headers.authorization, bearer: request.bearer, socket: request.socket }, where) : OPEN_PRINCIPAL;
    if (match.kind === 'notFound') throw notFound(request.path);
    if (match.kind === 'methodNotAllowed') {
      const allow = match.allowed.join(', ');
      throw new TmfError(405, 'MethodNotAllowed', 'Method not allowed', `${request.method} is not allowed on ${path}; allowed: ${allow}`, { Allow: allow });
    }
    const { operation, operationId, textTypes } = found!;
    if (gated) access.permit(principal, permissionOf(operationId), where);
    // Before the body is read: a Host no href could be built from is refused at once.
    const baseUrl = `${originOf(request)}${root}`;
    const { pairs, query } = groupedQuery(request.querystring);
    const body = textTypes && request.readBody ? await request.readBody(textTypes) : undefined;
    const contentType = request.headers['content-type'];
    const refused = contractRefusal(api, operation, { method: request.method, path, query, body, contentType });
    if (refused) throw new BadRequestError(refused, 'Invalid request');
    return {
      operationId,
      request: {
        principal,
        baseUrl,
        params: match.params,
        queryPairs: pairs,
        headers: request.headers,
        body,
        filterable: filterable.get(operationId),
        requiredFor: (fields) => {
          const schema = resourceSchemas.get(operationId);
          return schema ? requiredForProjection(document, schema, fields) : [];
        },
      },
    };
  };
}

function servedOperation(operation: Operation): Served {
  const operationId = operation.operationId ?? '';
  if (!operation.requestBody) return { operation, operationId };
  const declared = (operation.requestBody as { content?: Record<string, unknown> }).content ?? {};
  return { operation, operationId, textTypes: Object.keys(declared).filter((type) => type !== 'application/json') };
}

/**
 * The origin of this request's hrefs. With HUB_PUBLIC_URL it never changes; else it is checked per
 * Host header, and clients send the same one request after request: the last one is remembered.
 */
function originRule(publicUrl: string | undefined): (request: RequestAuthority) => string {
  if (publicUrl !== undefined) {
    let fixed: string | undefined;
    return (request) => (fixed ??= hubOrigin(publicUrl, { request }));
  }
  let last = { protocol: '', host: '', origin: '' };
  return (request) => {
    if (request.host && request.host === last.host && request.protocol === last.protocol) return last.origin;
    const origin = hubOrigin(undefined, { request });
    if (request.host) last = { protocol: request.protocol, host: request.host, origin };
    return origin;
  };
}

/**
 * The query in order (what handlers read) and grouped by name (what the contract validates).
 * Grouped in a Map and built with fromEntries (own data properties only): a key such as __proto__
 * or constructor stays a plain parameter, never reaches the object's prototype.
 */
function groupedQuery(querystring: string): { pairs: QueryPairs; query: Record<string, string | string[]> } {
  if (querystring === '') return { pairs: [], query: {} };
  const pairs = [...new URLSearchParams(querystring)];
  const grouped = new Map<string, string | string[]>();
  for (const [key, value] of pairs) {
    const had = grouped.get(key);
    if (had === undefined) grouped.set(key, value);
    else if (Array.isArray(had)) had.push(value);
    else grouped.set(key, [had, value]);
  }
  return { pairs, query: Object.fromEntries(grouped) };
}
