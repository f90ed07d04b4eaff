import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import request, { type Response } from 'supertest';
import { API_ROOTS } from '../../src/http/api-roots';
import { loadOpenApiDocument } from '../../src/http/contract-document';
import type { HubApp } from '../../src/http/create-app';

/** The host every test request names, so hrefs read http://hub.test/... */
export const TEST_HOST = 'hub.test';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ContractClient {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  patch(path: string, body?: unknown): Promise<Response>;
  delete(path: string, headers?: Record<string, string>): Promise<Response>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(loadOpenApiDocument() as object, 'tmf688');
const validateErrorBody = ajv.getSchema('tmf688#/components/schemas/Error')!;

/**
 * supertest over the app, where every response is checked against the bundled OpenAPI document
 * before the test sees it: the body against the operation's schema for that status, the status
 * among those the operation declares, list and create headers as TMF630 requires, and every error
 * body as a complete TMF Error. A violation fails the test that made the call.
 */
export function contractClient(hub: HubApp): ContractClient {
  const agent = request(hub.app.callback());
  const call = async (method: Method, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    // supertest listens on a new port per request; a fixed Host keeps hrefs stable across calls.
    let req = agent[method](path).set({ Host: TEST_HOST, ...headers });
    if (typeof body === 'string') req = req.set('Content-Type', headers['Content-Type'] ?? 'application/json').send(body);
    else if (body !== undefined) req = req.send(body as object);
    const res = await req;
    assertMatchesContract(hub, method, path, res);
    return res;
  };
  return {
    get: (path, headers) => call('get', path, undefined, headers),
    post: (path, body, headers) => call('post', path, body, headers),
    put: (path, body, headers) => call('put', path, body, headers),
    patch: (path, body) => call('patch', path, body),
    delete: (path, headers) => call('delete', path, undefined, headers),
  };
}

export function assertMatchesContract(hub: HubApp, method: Method, fullPath: string, res: Response): void {
  const where = `${method.toUpperCase()} ${fullPath} -> ${res.status}`;
  const fail = (problem: string): never => {
    throw new Error(`Contract violation on ${where}: ${problem}\nbody: ${JSON.stringify(res.body)}`);
  };
  const pathname = fullPath.split('?')[0];
  const root = API_ROOTS.find((r) => pathname === r || pathname.startsWith(`${r}/`));
  const operation = root ? hub.api.matchOperation({ method, path: pathname.slice(root.length) || '/', headers: {} }) : undefined;

  if (res.status >= 400) {
    if (!validateErrorBody(res.body)) fail(`error body is not a TMF Error: ${ajv.errorsText(validateErrorBody.errors)}`);
    if (res.body['@type'] !== 'Error' || res.body.status !== String(res.status) || !res.body.message) {
      fail('error body must carry @type Error, status equal to the HTTP status, and a message');
    }
    if (!String(res.headers['content-type']).startsWith('application/json')) fail('error is not JSON');
  }
  if (!operation) {
    if (res.status < 400 && root) fail('a success for a path and method the contract does not have');
    return;
  }
  if (!operation.responses?.[String(res.status)]) {
    fail(`status ${res.status} is not declared for ${operation.operationId}`);
  }
  if (res.status === 204) return;
  // No leniency for fields=: a projection keeps every attribute the schema requires, as a validating proxy expects.
  const errors = hub.api.validateResponse(res.body, operation, res.status).errors ?? [];
  if (errors.length) fail(`body does not match the schema: ${JSON.stringify(errors)}`);
  // A 201 that the contract says creates a resource (it declares Location) must point at it; the
  // operations that only record a notification declare none.
  const declaresLocation = Boolean((operation.responses?.['201'] as { headers?: Record<string, unknown> } | undefined)?.headers?.Location);
  if (res.status === 201 && declaresLocation) {
    if (!res.headers.location) fail('a 201 must carry Location');
    if (res.headers.location !== res.body.href) fail('Location must equal the created resource href');
  } else if (res.status === 201 && res.headers.location) {
    fail(`${operation.operationId} declares no Location header`);
  }
  if (res.status === 200 && operation.operationId?.startsWith('list')) {
    const total = Number(res.headers['x-total-count']);
    const count = Number(res.headers['x-result-count']);
    if (!Number.isInteger(total) || count !== res.body.length || total < count) {
      fail(`X-Total-Count (${res.headers['x-total-count']}) and X-Result-Count (${res.headers['x-result-count']}) must describe the page`);
    }
  }
  for (const item of Array.isArray(res.body) ? res.body : [res.body]) {
    if (item && typeof item === 'object' && 'href' in item && !/^https?:\/\//.test(String(item.href))) {
      fail(`href must be absolute, got ${item.href}`);
    }
  }
}
