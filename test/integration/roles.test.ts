import request from 'supertest';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

/** HUB_API_ENABLED and HUB_WORKER_ENABLED split one hub into API and worker processes on one store. */
describe('process roles', () => {
  const apps: TestApp[] = [];
  let receiver: TestReceiver;

  beforeEach(async () => {
    receiver = await TestReceiver.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await receiver.close();
  });

  it('should serve only /health, /ready and /metrics in a worker-only process', async () => {
    const worker = await buildTestApp({ worker: {}, config: { apiEnabled: false } });
    apps.push(worker);
    const agent = request(worker.app.callback());
    expect((await agent.get('/health')).status).toBe(200);
    expect((await agent.get('/ready')).body).toEqual({ status: 'ready' });
    const metrics = await agent.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('tmf688_deliveries_total');
    for (const path of [`${API}/topic`, '/console/', '/openapi.json', '/docs/', `${API}/inbox/x`]) {
      const res = await agent.get(path);
      expect({ path, status: res.status, type: res.body['@type'] }).toEqual({ path, status: 404, type: 'Error' });
    }
    const post = await agent.post(`${API}/topic`).send({ name: 'x' });
    expect(post.status).toBe(404);
    const wrongMethod = await agent.post('/health');
    expect(wrongMethod.status).toBe(405);
  });

  it('should deliver what an API-only process publishes from a worker-only process on the same store', async () => {
    const api = await buildTestApp({ config: { workerEnabled: false } });
    apps.push(api);
    expect(api.worker).toBeUndefined();
    const worker = await buildTestApp({ stores: api.stores, worker: {}, config: { apiEnabled: false } });
    apps.push(worker);
    const topic = (await api.client.post(`${API}/topic`, { name: 'orders' })).body;
    await api.client.post(`${API}/topic/${topic.id}/hub`, { callback: receiver.url('/split') });
    const event = (await api.client.post(`${API}/topic/${topic.id}/event`, { eventType: 'X' })).body;
    const [arrived] = await pollUntil(async () => (receiver.requestsTo('/split').length ? receiver.requestsTo('/split') : undefined), 5000, 'the delivery');
    expect(JSON.parse(arrived.body).id).toBe(event.id);
  });
});
