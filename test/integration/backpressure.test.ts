import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { pollUntil } from '../helpers/poll';
import { TestReceiver } from '../helpers/test-receiver';

/** HUB_MAX_PENDING: publishing answers 503 past it, changing nothing, until the backlog drains. On whichever store the suite runs on. */
describe('backpressure (HUB_MAX_PENDING)', () => {
  let receiver: TestReceiver;
  const apps: TestApp[] = [];
  beforeEach(async () => {
    receiver = await TestReceiver.start(() => ({ status: 204 }));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await receiver.close();
  });

  /** A hub without a worker (deliveries stay pending), a topic with two hubs on the receiver. */
  async function stoppedWorkerHub(maxPending: number) {
    const hub = await buildTestApp({ config: { maxPending } });
    apps.push(hub);
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id as string;
    for (const name of ['a', 'b']) expect((await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url(`/${name}`) })).status).toBe(201);
    return { hub, topicId };
  }

  it('should refuse a publish with 503, Retry-After and a TMF Error once pending deliveries reach the limit, storing nothing', async () => {
    const { hub, topicId } = await stoppedWorkerHub(3);
    expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: 1 })).status).toBe(201);
    expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: 2 })).status).toBe(201);
    await expect(hub.stores.deliveries.countUnfinished()).resolves.toBe(4);

    const refused = await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: 3, eventId: 'refused-1' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ code: 'ServiceUnavailable', reason: 'Too many pending deliveries' });
    expect(refused.body.message).toContain('HUB_MAX_PENDING');
    // Nothing changed: no event, no delivery.
    const events = (await hub.client.get(`${API}/topic/${topicId}/event`)).body as Array<{ n: number }>;
    expect(events.map((e) => e.n).sort()).toEqual([1, 2]);
    await expect(hub.stores.deliveries.countUnfinished()).resolves.toBe(4);
    expect((await hub.client.get(`${API}/topic/${topicId}/event?eventId=refused-1`)).body).toEqual([]);

    const ready = await hub.client.get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: 'ServiceUnavailable', message: expect.stringContaining('Not ready: pending deliveries (4) passed HUB_MAX_PENDING (3)') });
    const metrics = (await hub.client.get('/metrics')).text;
    expect(metrics).toMatch(/^tmf688_publish_refused_total 1$/m);
    expect(receiver.requests).toHaveLength(0);
  });

  it('should deliver every accepted event once the backlog drains, and accept publishes again', async () => {
    const { hub, topicId } = await stoppedWorkerHub(3);
    for (const n of [1, 2]) expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n })).status).toBe(201);
    expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: 3 })).status).toBe(503);

    // The worker starts (a second process on the same store): the backlog drains.
    apps.push(await buildTestApp({ stores: hub.stores, worker: {}, config: { maxPending: 3 } }));
    await pollUntil(async () => (receiver.requests.length >= 4 ? true : undefined), 10_000, 'the four accepted deliveries');
    await pollUntil(async () => ((await hub.stores.deliveries.countUnfinished()) === 0 ? true : undefined), 10_000, 'an empty backlog');
    const got = receiver.requests.map((r) => `${r.path} ${r.json.n}`).sort();
    expect(got).toEqual(['/a 1', '/a 2', '/b 1', '/b 2']);

    expect((await hub.client.get('/ready')).status).toBe(200);
    expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: 4 })).status).toBe(201);
    await pollUntil(async () => (receiver.requests.length >= 6 ? true : undefined), 10_000, 'the deliveries of the event published after the drain');
    expect(receiver.requests.map((r) => r.json.n).filter((n) => n === 3)).toEqual([]);
  });

  it('should push back while a listener hangs, with a running worker', async () => {
    receiver.responder = () => ({ status: 204, delayMs: 800 });
    const hub = await buildTestApp({ config: { maxPending: 2 }, worker: { perHubConcurrency: 1, timeoutMs: 2000 } });
    apps.push(hub);
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id as string;
    await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/slow') });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n })).status);
    expect(statuses).toEqual([201, 201, 503, 503]);
    await pollUntil(async () => (receiver.requests.length >= 2 ? true : undefined), 10_000, 'the two accepted deliveries');
    await pollUntil(async () => ((await hub.stores.deliveries.countUnfinished()) === 0 ? true : undefined), 10_000, 'an empty backlog');
    expect(receiver.requests.map((r) => r.json.n).sort()).toEqual([0, 1]);
  });

  it('should not limit anything with HUB_MAX_PENDING=0', async () => {
    const { hub, topicId } = await stoppedWorkerHub(0);
    for (let n = 0; n < 5; n++) expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n })).status).toBe(201);
    await expect(hub.stores.deliveries.countUnfinished()).resolves.toBe(10);
    expect((await hub.client.get('/ready')).status).toBe(200);
  });
});
