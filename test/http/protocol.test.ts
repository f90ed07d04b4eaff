import { createLogger } from '../../src/logger';
import { memoryStores } from '../helpers/test-stores';
import { StoreUnavailableError } from '../../src/store/store-errors';
import type { Stores } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

/** Memory stores whose topic store fails every call with the given error. */
function storesFailingWith(error: () => Error): Stores {
  const stores = memoryStores();
  const fail = async () => {
    throw error();
  };
  stores.topics = { insert: fail, get: fail, findIdByUnique: fail, list: fail, countAll: fail, update: fail, delete: fail, deleteScope: fail, nextSequence: fail, sequenceOf: fail, lastSequence: fail, listAfterSequence: fail, listStoredBetween: fail, lastId: fail, trimScope: fail, trimAll: fail, deleteStoredBefore: fail };
  stores.ping = fail;
  return stores;
}

describe('HTTP protocol behaviour', () => {
  let hub: TestApp;
  beforeEach(async () => {
    hub = await buildTestApp();
  });

  describe('method not allowed', () => {
    it.each([
      ['put', '/topic', 'GET, POST'],
      ['patch', '/topic/x', 'GET, DELETE'],
      ['delete', '/topic/x/event/y', 'GET'],
      ['post', '/topic/x/event/y', 'GET'],
      ['put', '/hub/x', 'GET, DELETE'],
    ] as const)('should answer %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const res = await hub.client[method](`${API}${path}`, method === 'delete' ? undefined : {});
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body.code).toBe('MethodNotAllowed');
    });
  });

  describe('unknown paths', () => {
    it.each([`${API}/nothing`, `${API}/topic/a/b/c/d`, '/tmf-api/other/v4/topic', '/'])('should answer 404 TMF Error for %s', async (path) => {
      const res = await hub.client.get(path);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NotFound');
    });
  });

  describe('request bodies', () => {
    it('should answer 400 for malformed JSON', async () => {
      const res = await hub.client.post(`${API}/topic`, '{"name": ');
      expect(res.status).toBe(400);
      expect(res.body.reason).toBe('Malformed JSON');
    });

    it('should answer 415 for a non-JSON content type and store nothing', async () => {
      const res = await hub.client.post(`${API}/topic`, 'name=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
      expect(res.status).toBe(415);
      expect(res.body.message).toContain('application/json');
      expect((await hub.client.get(`${API}/topic`)).body).toEqual([]);
    });

    it('should accept application/json with a charset and +json types', async () => {
      expect((await hub.client.post(`${API}/topic`, '{"name":"a"}', { 'Content-Type': 'application/json;charset=utf-8' })).status).toBe(201);
      expect((await hub.client.post(`${API}/topic`, '{"name":"b"}', { 'Content-Type': 'application/merge-patch+json' })).status).toBe(201);
    });

    it('should answer 413 for a body over the limit and store nothing', async () => {
      const small = await buildTestApp({ config: { maxBodyBytes: 100 } });
      const res = await small.client.post(`${API}/topic`, { name: 'x'.repeat(200) });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PayloadTooLarge');
      expect((await small.client.get(`${API}/topic`)).body).toEqual([]);
    });
  });

  describe('store failures', () => {
    it('should answer 503 with Retry-After when the store is unreachable', async () => {
      const down = await buildTestApp({ stores: storesFailingWith(() => new StoreUnavailableError(new Error('connection refused 10.0.0.5'))) });
      const res = await down.client.get(`${API}/topic`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.code).toBe('ServiceUnavailable');
      expect(JSON.stringify(res.body)).not.toContain('10.0.0.5');
      expect((await down.client.get('/ready')).status).toBe(503);
    });

    it('should answer 500 that leaks nothing for an unexpected error, and log it with the request id', async () => {
      const lines: string[] = [];
      const broken = await buildTestApp({
        stores: storesFailingWith(() => new Error('secret internal detail')),
        logger: createLogger('error', (line) => lines.push(line)),
      });
      const res = await broken.client.post(`${API}/topic`, { name: 'x' }, { 'X-Request-Id': 'req-42' });
      expect(res.status).toBe(500);
      expect(res.body.code).toBe('InternalError');
      expect(JSON.stringify(res.body)).not.toContain('secret');
      expect(res.body.message).toContain('req-42');
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
      expect(logged).toMatchObject({ requestId: 'req-42', err: { message: 'secret internal detail' } });
    });
  });

  describe('addressing', () => {
    it('should serve the same API under /tmf-api/eventManagement/v4 with hrefs under that root', async () => {
      const res = await hub.client.post('/tmf-api/eventManagement/v4/topic', { name: 'oda' });
      expect(res.status).toBe(201);
      expect(res.body.href).toBe(`http://hub.test/tmf-api/eventManagement/v4/topic/${res.body.id}`);
      expect((await hub.client.get(`${API}/topic/${res.body.id}`)).status).toBe(200);
    });

    it('should build hrefs from HUB_PUBLIC_URL when set', async () => {
      const pub = await buildTestApp({ config: { publicUrl: 'https://events.example.com/base' } });
      const res = await pub.client.post(`${API}/topic`, { name: 'x' });
      expect(res.body.href).toBe(`https://events.example.com/base${API}/topic/${res.body.id}`);
      expect(res.headers.location).toBe(res.body.href);
    });

    it('should echo a sane X-Request-Id and make one up otherwise', async () => {
      expect((await hub.client.get(`${API}/topic`, { 'X-Request-Id': 'abc-1' })).headers['x-request-id']).toBe('abc-1');
      const generated = (await hub.client.get(`${API}/topic`, { 'X-Request-Id': 'bad id with spaces' })).headers['x-request-id'];
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('operations endpoints', () => {
    it('GET /health should answer 200 and GET /ready 200 when the store answers', async () => {
      expect((await hub.client.get('/health')).body).toEqual({ status: 'ok' });
      expect((await hub.client.get('/ready')).body).toEqual({ status: 'ready' });
    });
  });
});
