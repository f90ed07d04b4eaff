import supertest from 'supertest';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

type Parameter = { name: string; in: string; schema?: { maximum?: number; minimum?: number } };
type Operation = { operationId: string; parameters?: Parameter[] };

/** operationId -> its limit parameter, for every operation of a document that has one. */
const limitParameters = (doc: { paths: Record<string, Record<string, Operation>> }): Map<string, Parameter> =>
  new Map(
    Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .flatMap((op) => (op.parameters ?? []).filter((p) => p.in === 'query' && p.name === 'limit').map((p) => [op.operationId, p] as const)),
  );

describe('paging bounds: what /openapi.json allows, the hub accepts (HUB_LIST_MAX_LIMIT=37)', () => {
  let hub: TestApp;
  let topicId: string;

  beforeAll(async () => {
    hub = await buildTestApp({ config: { listMaxLimit: 37, listDefaultLimit: 5 } });
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });

  it('the served document and the validator should both declare limit 0..37 on every list operation', async () => {
    const served = limitParameters((await supertest(hub.app.callback()).get('/openapi.json')).body);
    const validated = limitParameters(hub.api.definition as never);
    expect([...served.keys()].sort()).toEqual([...validated.keys()].sort());
    expect(served.size).toBe(14);
    for (const limits of [served, validated]) {
      for (const p of limits.values()) expect(p.schema).toMatchObject({ minimum: 0, maximum: 37 });
    }
  });

  it.each(['/topic', '/topic/{topic}/event', '/topic/{topic}/hub', '/inbox/a', '/listener/topicCreateEvent', '/auditRecord'])(
    'GET %s should accept limit=37 and refuse limit=38 with a TMF Error',
    async (path) => {
      const url = `${API}${path.replace('{topic}', topicId)}`;
      expect((await hub.client.get(`${url}?limit=37`)).status).toBe(200);
      const refused = await hub.client.get(`${url}?limit=38`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'BadRequest', status: '400', '@type': 'Error' });
      expect(refused.body.message).toContain('query parameter limit must be <= 37');
    },
  );

  it.each([
    ['offset=-1', 'query parameter offset must be >= 0'],
    ['offset=2147483648', 'query parameter offset must be <= 2147483647'],
    ['limit=-1', 'query parameter limit must be >= 0'],
  ])('GET /topic?%s should be a 400 TMF Error', async (query, message) => {
    const res = await hub.client.get(`${API}/topic?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it('GET /topic?offset=2147483647 should be an empty page', async () => {
    const res = await hub.client.get(`${API}/topic?offset=2147483647`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers['x-total-count']).toBe('1');
  });
});
