import request from 'supertest';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

/** Every door outside the API roots with access control on: which stay open, which need a credential. */
describe('access control at the doors outside the API', () => {
  let file: TestClientsFile;
  const apps: TestApp[] = [];
  const READER = 'reader-key-0123456789';
  const NOBODY = 'nobody-key-0123456789';

  beforeAll(() => {
    file = writeClientsFile([
      { name: 'reader', key: READER, roles: ['reader'] },
      { name: 'nobody', key: NOBODY, roles: ['publisher'], topics: ['none'] },
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
});
