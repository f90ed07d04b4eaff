import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

/** GET .../hub/{hubId}/stats: the attempt log per minute, for the console's chart. */
describe('hub stats', () => {
  let hub: TestApp;
  let receiver: TestReceiver;

  beforeEach(async () => {
    receiver = await TestReceiver.start((req) => ({ status: JSON.parse(req.body).eventType === 'Fail' ? 500 : 201 }));
    hub = await buildTestApp({ worker: { retrySchedule: [] } });
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  it('should count a topic hub\'s delivered and failed attempts in the current minute, with durations', async () => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/s') })).body.id;
    for (const eventType of ['A', 'Fail', 'B', 'Fail', 'C']) await hub.client.post(`${API}/topic/${topicId}/event`, { eventType });
    const stats = await pollUntil(async () => {
      const res = await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/stats?window=15m`);
      return res.body.delivered + res.body.failed === 5 ? res.body : undefined;
    }, 5000, 'five attempts');
    expect(stats).toMatchObject({ hubId, bucketSeconds: 60, delivered: 3, failed: 2 });
    expect(stats.points).toHaveLength(15);
    const busy = stats.points.filter((p: { delivered: number; failed: number }) => p.delivered + p.failed > 0);
    expect(busy.reduce((n: number, p: { delivered: number }) => n + p.delivered, 0)).toBe(3);
    expect(busy.every((p: { p50Ms?: number; p99Ms?: number }) => typeof p.p50Ms === 'number' && p.p99Ms! >= p.p50Ms!)).toBe(true);
  });

  it('should serve a POST /hub registration\'s stats, an hour by default', async () => {
    const listenerId = (await hub.client.post(`${API}/hub`, { callback: receiver.url('/l') })).body.id;
    await hub.client.post(`${API}/topic`, { name: 'announced' });
    const stats = await pollUntil(async () => {
      const res = await hub.client.get(`${API}/hub/${listenerId}/stats`);
      return res.body.delivered === 1 ? res.body : undefined;
    }, 5000, 'the TopicCreateEvent attempt');
    expect(stats.points).toHaveLength(60);
  });

  it.each([['1m'], ['1440m'], ['24h'], ['90m']])('should accept window=%s', async (window) => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'x' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/x') })).body.id;
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/stats?window=${window}`)).status).toBe(200);
  });

  it.each([['0m'], ['0h'], ['1441m'], ['25h'], ['1d'], ['fast']])('should refuse window=%s with a 400', async (window) => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'x' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/x') })).body.id;
    const res = await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/stats?window=${window}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/window/);
  });

  it('should answer 404 for an unknown hub', async () => {
    expect((await hub.client.get(`${API}/hub/nope/stats`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/nope/hub/nope/stats`)).status).toBe(404);
  });
});
