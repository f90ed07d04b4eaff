import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { STORE_KIND } from '../helpers/test-stores';

/** Quotas of HUB_CLIENTS_FILE, on the store of this run: publishPerSecond (429) and hubs (403 Quota exceeded). */
describe(`access quotas (${STORE_KIND} store)`, () => {
  let file: TestClientsFile;
  const apps: TestApp[] = [];
  const KEYS = { admin: 'admin-key-0123456789', publisher: 'slow-key-0123456789', subscriber: 'capped-key-0123456789' };
  const as = (who: keyof typeof KEYS) => ({ Authorization: `Bearer ${KEYS[who]}` });

  beforeAll(() => {
    file = writeClientsFile([
      { name: 'ops', key: KEYS.admin, roles: ['admin'] },
      { name: 'slow', key: KEYS.publisher, roles: ['publisher'], quota: { publishPerSecond: 1 } },
      { name: 'capped', key: KEYS.subscriber, roles: ['subscriber'], quota: { hubs: 2 } },
    ]);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });
  afterAll(() => file.remove());

  const start = async (shared?: TestApp) => {
    const app = await buildTestApp({ config: { clientsFile: file.path }, ...(shared && { stores: shared.stores }) });
    apps.push(app);
    return app;
  };
  const topic = async (app: TestApp, name: string): Promise<string> => (await app.client.post(`${API}/topic`, { name }, as('admin'))).body.id;

  it('should answer 429 with Retry-After past publishPerSecond, and store nothing: no event, no delivery', async () => {
    const hub = await start();
    const topicId = await topic(hub, 'orders');
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://127.0.0.1:9/x' }, as('admin'))).body.id;
    expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'A', eventId: 'e1' }, as('publisher'))).status).toBe(201);
    const refused = await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'A', eventId: 'e2' }, as('publisher'));
    expect({ status: refused.status, retryAfter: refused.headers['retry-after'] }).toEqual({ status: 429, retryAfter: '1' });
    expect(refused.body).toMatchObject({ code: 'TooManyRequests', '@type': 'Error', message: expect.stringContaining('quota of 1 events per second') });
    const events = await hub.client.get(`${API}/topic/${topicId}/event`, as('admin'));
    expect(events.body.map((e: { eventId: string }) => e.eventId)).toEqual(['e1']);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/delivery`, as('admin'))).headers['x-total-count']).toBe('1');
    // An admin without a quota publishes on.
    expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'A', eventId: 'e3' }, as('admin'))).status).toBe(201);
  });

  it('should share publishPerSecond among the processes serving the API (two apps on one store)', async () => {
    const first = await start();
    const second = await start(first);
    // Each counts the other at its next heartbeat (every second).
    await pollUntil(async () => (first.services.publishRate.sharedBy === 2 && second.services.publishRate.sharedBy === 2 ? true : undefined), 5000, 'both processes counted');
    const topicId = await topic(first, 'orders');
    expect((await second.client.post(`${API}/topic/${topicId}/event`, { eventType: 'A' }, as('publisher'))).status).toBe(201);
    const refused = await second.client.post(`${API}/topic/${topicId}/event`, { eventType: 'A' }, as('publisher'));
    // Half a publish per second in this process: the next one in 2 s.
    expect({ status: refused.status, retryAfter: refused.headers['retry-after'] }).toEqual({ status: 429, retryAfter: '2' });
    expect(refused.body.message).toMatch(/shared by 2 hub processes/);
  });

  it('should answer 403 Quota exceeded past hubs (topic hubs and registrations together), store nothing, and allow one again after a delete', async () => {
    const hub = await start();
    const topicId = await topic(hub, 'billing');
    const first = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://127.0.0.1:9/a' }, as('subscriber'));
    const registration = await hub.client.post(`${API}/hub`, { callback: 'http://127.0.0.1:9/b' }, as('subscriber'));
    expect([first.status, registration.status]).toEqual([201, 201]);
    for (const [path, callback] of [[`${API}/topic/${topicId}/hub`, 'http://127.0.0.1:9/c'], [`${API}/hub`, 'http://127.0.0.1:9/d']]) {
      const refused = await hub.client.post(path, { callback }, as('subscriber'));
      expect({ status: refused.status, reason: refused.body.reason, code: refused.body.code }).toEqual({ status: 403, reason: 'Quota exceeded', code: 'Forbidden' });
      expect(refused.body.message).toBe('The client capped owns 2 hubs (topic hubs and POST /hub registrations), its quota of 2: delete one first');
    }
    expect((await hub.client.get(`${API}/topic/${topicId}/hub`, as('admin'))).body.map((h: { callback: string }) => h.callback)).toEqual(['http://127.0.0.1:9/a']);
    expect((await hub.client.delete(`${API}/topic/${topicId}/hub/${first.body.id}`, as('subscriber'))).status).toBe(204);
    expect((await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://127.0.0.1:9/e' }, as('subscriber'))).status).toBe(201);
  });
});
