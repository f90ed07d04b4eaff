import type OpenAPIBackend from 'openapi-backend';
import { Authenticator } from '../../src/access/authenticator';
import { ClientDirectory } from '../../src/access/client-directory';
import { apiKeyClients, parseClientsFile } from '../../src/access/clients-file';
import { OPEN_PRINCIPAL } from '../../src/access/principal';
import { NotFoundError, TmfError } from '../../src/errors';
import { AccessGate } from '../../src/http/access-gate';
import type { RefusalRecord } from '../../src/http/audit-refusal';
import { apiFrontDoor, MAX_QUERY_LENGTH, type FrontDoor, type FrontDoorRequest } from '../../src/http/api-front-door';
import { sharedApi } from '../helpers/test-app';

const API = '/tmf-api/event/v4';

/** A request at the door: GET, no query, Host hub:8080, and a body reader that records its calls. */
function at(path: string, more: Partial<FrontDoorRequest> & { body?: unknown } = {}): FrontDoorRequest & { reads: (readonly string[])[] } {
  const [pathname, querystring = ''] = path.split(/\?(.*)/s);
  const reads: (readonly string[])[] = [];
  const { body, ...rest } = more;
  return {
    method: 'GET',
    path: pathname,
    querystring,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    protocol: 'http',
    host: 'hub:8080',
    readBody: async (textTypes) => {
      reads.push(textTypes);
      return body;
    },
    reads,
    ...rest,
  };
}

async function refusal(door: FrontDoor, request: FrontDoorRequest): Promise<TmfError> {
  try {
    await door(request);
  } catch (err) {
    if (err instanceof TmfError) return err;
    throw err;
  }
  throw new Error(`${request.method} ${request.path} was let in`);
}

describe('apiFrontDoor', () => {
  let api: OpenAPIBackend;
  let door: FrontDoor;
  beforeAll(async () => {
    api = await sharedApi(1000);
    door = apiFrontDoor(api);
  });

  it.each<[string, FrontDoorRequest, number, string, RegExp, Record<string, string>?]>([
    ['a query past the limit', at(`${API}/topic?name=${'x'.repeat(MAX_QUERY_LENGTH)}`), 414, 'URI too long', /exceeds 4096/],
    ['a query past the limit on a path no operation has', at(`${API}/nothing?${'x'.repeat(MAX_QUERY_LENGTH + 1)}`), 414, 'URI too long', /exceeds/],
    ['a malformed percent-encoding', at(`${API}/topic/%E0%A4%A`), 400, 'Malformed path', /percent-encoding/],
    ['a path no operation has', at(`${API}/nothing`), 404, 'Resource not found', /^No resource path matches \/tmf-api\/event\/v4\/nothing$/],
    ['the bare root', at(API), 404, 'Resource not found', /No resource path matches/],
    ['a method the path does not have', at(`${API}/topic`, { method: 'PUT' }), 405, 'Method not allowed', /PUT is not allowed on \/topic; allowed: GET, POST/, { Allow: 'GET, POST' }],
    ['a query parameter out of the contract', at(`${API}/topic?limit=-1`), 400, 'Invalid request', /query parameter limit/],
    // Grouped as an own property, __proto__ reaches the contract as the undeclared parameter it is.
    ['a __proto__ parameter where none is declared', at(`${API}/topic/t/event/stream?__proto__=x`), 400, 'Invalid request', /^query parameter __proto__ is not allowed here$/],
    ['a repeated stream query', at(`${API}/topic/t/event/stream?query=a%3D1&query=b%3D2`), 400, 'Invalid request', /query parameter query must be string/],
    ['a body out of the contract', at(`${API}/topic`, { method: 'POST', body: { name: 3 } }), 400, 'Invalid request', /name must be string/],
    ['a missing body', at(`${API}/topic`, { method: 'POST' }), 400, 'Invalid request', /a JSON body is required/],
    ['a malformed Host header', at(`${API}/topic`, { host: '::1:8080' }), 400, 'Invalid Host', /Host header/],
  ])('should refuse %s', async (_case, request, status, reason, message, headers = {}) => {
    const err = await refusal(door, request);
    expect({ status: err.status, reason: err.reason, headers: err.headers }).toEqual({ status, reason, headers });
    expect(err.message).toMatch(message);
  });

  it.each(['/console', '/tmf-api/event/v4x/topic', '/tmf-api/event', '/health'])('should leave %s to the rest of the app', async (path) => {
    await expect(door(at(path))).resolves.toBeUndefined();
  });

  it.each<[string, FrontDoorRequest, string, Record<string, string>, string]>([
    ['the TMF688 root', at(`${API}/topic/t%201`), 'retrieveTopic', { id: 't 1' }, 'http://hub:8080/tmf-api/event/v4'],
    ['the ODA root', at('/tmf-api/eventManagement/v4/topic'), 'listTopic', {}, 'http://hub:8080/tmf-api/eventManagement/v4'],
    ['a request over TLS to [::1]', at(`${API}/topic`, { protocol: 'https', host: '[::1]:8443' }), 'listTopic', {}, 'https://[::1]:8443/tmf-api/event/v4'],
    ['a request without Host', at(`${API}/topic`, { host: undefined, socket: { localAddress: '::1', localPort: 81 } }), 'listTopic', {}, 'http://[::1]:81/tmf-api/event/v4'],
  ])('should let in a request to %s, with its parameters and base URL', async (_case, request, operationId, params, baseUrl) => {
    const call = await door(request);
    expect({ operationId: call?.operationId, params: call?.request.params, baseUrl: call?.request.baseUrl }).toEqual({ operationId, params, baseUrl });
  });

  it('should keep the query in order, __proto__ and constructor as plain parameters', async () => {
    const call = await door(at(`${API}/topic?__proto__=1&name=a&constructor=2&name=b`));
    expect(call?.request.queryPairs).toEqual([['__proto__', '1'], ['name', 'a'], ['constructor', '2'], ['name', 'b']]);
  });

  it('should read the body only for operations that take one, with the text types they declare', async () => {
    const get = at(`${API}/topic`);
    await door(get);
    expect(get.reads).toEqual([]);
    const post = at(`${API}/topic`, { method: 'POST', body: { name: 'orders' } });
    expect((await door(post))?.request.body).toEqual({ name: 'orders' });
    expect(post.reads).toEqual([[]]);
    const yaml = at(`${API}/schema/import`, { method: 'POST', body: { openapi: '3.0.0' } });
    await door(yaml).catch(() => undefined);
    expect(yaml.reads).toEqual([['application/yaml', 'application/x-yaml', 'text/yaml']]);
  });

  it('should refuse a bad Host again after a good one (the remembered origin is per Host)', async () => {
    expect((await door(at(`${API}/topic`, { host: 'a:1' })))?.request.baseUrl).toBe('http://a:1/tmf-api/event/v4');
    expect((await refusal(door, at(`${API}/topic`, { host: 'a b' }))).reason).toBe('Invalid Host');
    expect((await door(at(`${API}/topic`, { protocol: 'https', host: 'a:1' })))?.request.baseUrl).toBe('https://a:1/tmf-api/event/v4');
  });

  it('should refuse a bad Host before reading the body', async () => {
    const post = at(`${API}/topic`, { method: 'POST', body: { name: 'orders' }, host: 'a b' });
    expect((await refusal(door, post)).reason).toBe('Invalid Host');
    expect(post.reads).toEqual([]);
  });

  it('should build every base URL from HUB_PUBLIC_URL when set, whatever the Host', async () => {
    const pinned = apiFrontDoor(api, { publicUrl: 'https://hub.example.com/prefix/' });
    for (const host of ['hub:8080', '[::1]:1', undefined]) {
      expect((await pinned(at(`${API}/topic`, { host })))?.request.baseUrl).toBe('https://hub.example.com/prefix/tmf-api/event/v4');
    }
  });

  it('should serve only the operations asked for, answering the others with the given 404', async () => {
    const streamOnly = apiFrontDoor(api, { operationIds: ['streamEvent'], notFound: (path) => new NotFoundError(`nothing at ${path}`) });
    expect((await streamOnly(at(`${API}/topic/t/event/stream`)))?.operationId).toBe('streamEvent');
    const err = await refusal(streamOnly, at(`${API}/topic/t/event`));
    expect({ status: err.status, message: err.message }).toEqual({ status: 404, message: `nothing at ${API}/topic/t/event` });
  });

  it('should let every request in as the open principal without access control', async () => {
    expect((await door(at(`${API}/topic`)))?.request.principal).toBe(OPEN_PRINCIPAL);
  });

  it('should let every request in as the open principal through an open gate, without asking it per request', async () => {
    const gate = new AccessGate(new Authenticator({ open: true, directory: new ClientDirectory([]), certificates: false }));
    const principal = jest.spyOn(gate, 'principal');
    const permit = jest.spyOn(gate, 'permit');
    const openDoor = apiFrontDoor(api, { access: gate });
    expect((await openDoor(at(`${API}/topic`, { method: 'POST', body: { name: 'x' } })))?.request.principal).toBe(OPEN_PRINCIPAL);
    expect([principal.mock.calls.length, permit.mock.calls.length]).toEqual([0, 0]);
  });

  describe('with access control', () => {
    const directory = new ClientDirectory([
      ...parseClientsFile('clients: [{ name: reader, key: reader-key, roles: [reader] }]').clients,
      ...apiKeyClients(['admin-key-0123456789']),
    ]);
    const records: RefusalRecord[] = [];
    let guarded: FrontDoor;
    beforeAll(() => {
      const gate = new AccessGate(new Authenticator({ open: false, directory, certificates: false }), { record: (entry) => records.push(entry) });
      guarded = apiFrontDoor(api, { access: gate });
    });
    beforeEach(() => (records.length = 0));
    const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

    it.each<[string, FrontDoorRequest, number, RegExp, Omit<RefusalRecord, 'status'>]>([
      ['no credential', at(`${API}/topic`), 401, /^A credential is required/, { principal: 'unauthenticated', operation: 'listTopic', resource: `${API}/topic` }],
      // Authentication comes before routing: a stranger learns nothing of which paths exist.
      ['no credential on a path no operation has', at(`${API}/nothing`), 401, /^A credential is required/, { principal: 'unauthenticated', operation: `GET ${API}/nothing`, resource: `${API}/nothing` }],
      ['a wrong key', at(`${API}/topic`, { headers: bearer('wrong') }), 401, /^The API key is not valid$/, { principal: 'unauthenticated', operation: 'listTopic', resource: `${API}/topic` }],
      ['a reader creating a topic', at(`${API}/topic`, { method: 'POST', body: { name: 'x' }, headers: { ...bearer('reader-key'), 'content-type': 'application/json' } }), 403, /^The client reader lacks the permission admin$/, { principal: 'reader', operation: 'createTopic', resource: `${API}/topic` }],
      ['a reader listing an inbox', at(`${API}/inbox/x`, { headers: bearer('reader-key') }), 403, /lacks the permission admin/, { principal: 'reader', operation: 'listInboxEntry', resource: `${API}/inbox/x` }],
    ])('should refuse %s, and record it', async (_case, request, status, message, where) => {
      const err = await refusal(guarded, request);
      expect({ status: err.status, code: err.code }).toEqual({ status, code: status === 401 ? 'Unauthorized' : 'Forbidden' });
      expect(err.message).toMatch(message);
      if (status === 401) expect(err.headers['WWW-Authenticate']).toMatch(/^Bearer realm="tmf688-hub"/);
      expect(records).toEqual([{ ...where, status }]);
    });

    it('should refuse a missing permission before reading the body', async () => {
      const post = at(`${API}/topic`, { method: 'POST', body: { name: 'x' }, headers: bearer('reader-key') });
      expect((await refusal(guarded, post)).status).toBe(403);
      expect(post.reads).toEqual([]);
    });

    it('should answer 404 and 405 to an authenticated client', async () => {
      expect((await refusal(guarded, at(`${API}/nothing`, { headers: bearer('reader-key') }))).status).toBe(404);
      expect((await refusal(guarded, at(`${API}/topic`, { method: 'PUT', headers: bearer('reader-key') }))).status).toBe(405);
      expect(records).toEqual([]);
    });

    it('should give the handler the principal, from the header or (for the WebSocket) the bearer given aside', async () => {
      expect((await guarded(at(`${API}/topic`, { headers: bearer('reader-key') })))?.request.principal.name).toBe('reader');
      expect((await guarded(at(`${API}/topic`, { bearer: 'admin-key-0123456789' })))?.request.principal.name).toBe('api-key-1');
      // The header wins over the subprotocol.
      expect((await guarded(at(`${API}/topic`, { headers: bearer('reader-key'), bearer: 'admin-key-0123456789' })))?.request.principal.name).toBe('reader');
    });
  });
});
