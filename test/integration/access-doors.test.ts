import request from 'supertest';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

/** Every door outside the API roots with access control on (which stay open, which need a credential), and what a scope means for POST /hub. */
describe('access control at the doors outside the API', () => {
  let file: TestClientsFile;
  const apps: TestApp[] = [];
  const READER = 'reader-key-0123456789';
  const NOBODY = 'nobody-key-0123456789';
  const SCOPED = 'scoped-key-0123456789';

  beforeAll(() => {
    file = writeClientsFile([
      { name: 'reader', key: READER, roles: ['reader'] },
      { name: 'nobody', key: NOBODY, roles: ['publisher'], topics: ['none'] },
      { name: 'alarms-only', key: SCOPED, roles: ['subscriber'], topics: ['alarms'] },
      { name: 'ops', key: 'ops-key-0123456789ab', roles: ['admin'] },
    ]);
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.stop();
    file.remove();
  });

  const start = async (config: Record<string, unknown> = {}) => {
    const app = await buildTestApp({ config: { clientsFile: file.path, ...config } });
    apps.push(app);
    return request(app.app.callback());
  };

  it.each<[string, number]>([
    ['/health', 200],
    ['/ready', 200],
    ['/console/', 200],
    ['/docs/', 200],
    ['/openapi.json', 200],
    ['/asyncapi.json', 200],
    ['/metrics', 401],
    ['/elsewhere', 401],
    [`${API}/topic`, 401],
  ])('should answer %s without a credential with %i', async (path, status) => {
    const agent = await start();
    const res = await agent.get(path);
    expect(res.status).toBe(status);
    if (status === 401) {
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tmf688-hub"');
      expect(res.body).toMatchObject({ code: 'Unauthorized', status: '401', '@type': 'Error' });
    }
  });

  it('should serve /metrics and answer 404 elsewhere to a client with a credential', async () => {
    const agent = await start();
    const metrics = await agent.get('/metrics').set('Authorization', `Bearer ${READER}`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('tmf688_events_published_total');
    expect((await agent.get('/elsewhere').set('Authorization', `Bearer ${READER}`)).status).toBe(404);
    // Any role may scrape: the metrics are counts over every topic, no topic's data.
    expect((await agent.get('/metrics').set('Authorization', `Bearer ${NOBODY}`)).status).toBe(200);
  });

  it('should keep the documents behind a credential with HUB_PUBLIC_DOCS=false', async () => {
    const agent = await start({ publicDocs: false });
    for (const path of ['/docs/', '/openapi.json', '/asyncapi.json']) {
      expect((await agent.get(path)).status).toBe(401);
      expect((await agent.get(path).set('Authorization', `Bearer ${READER}`)).status).toBe(200);
    }
    expect((await agent.get('/console/')).status).toBe(200);
  });

  it('should declare the bearer scheme in the served OpenAPI document', async () => {
    const agent = await start();
    const doc = (await agent.get('/openapi.json')).body;
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('should refuse a POST /hub registration to a client scoped to some topics (it would hear of every topic), and let it make hubs in scope', async () => {
    const agent = await start();
    const scoped = { Authorization: `Bearer ${SCOPED}` };
    const refused = await agent.post(`${API}/hub`).set(scoped).send({ callback: 'http://127.0.0.1:9/r' });
    expect({ status: refused.status, message: refused.body.message }).toEqual({
      status: 403,
      message: "The client alarms-only lacks the permission hub:manage on every topic: a POST /hub registration hears of every topic, and the client's topic scopes cover only some",
    });
    const alarms = (await agent.post(`${API}/topic`).set('Authorization', 'Bearer ops-key-0123456789ab').send({ name: 'alarms' })).body.id;
    const other = (await agent.post(`${API}/topic`).set('Authorization', 'Bearer ops-key-0123456789ab').send({ name: 'orders' })).body.id;
    expect((await agent.post(`${API}/topic/${alarms}/hub`).set(scoped).send({ callback: 'http://127.0.0.1:9/a' })).status).toBe(201);
    const outside = await agent.post(`${API}/topic/${other}/hub`).set(scoped).send({ callback: 'http://127.0.0.1:9/o' });
    expect({ status: outside.status, message: outside.body.message }).toEqual({ status: 403, message: expect.stringContaining('lacks the permission hub:manage on topic "orders"') });
    // With fields=, the owner read to judge is not shown unless asked.
    const [mine] = (await agent.get(`${API}/topic/${alarms}/hub?fields=callback`).set(scoped)).body;
    expect(Object.keys(mine).sort()).toEqual(['@type', 'callback', 'href', 'id']);
  });
});
