import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

/** A hub's rateLimit caps its attempts; other hubs of the topic are not slowed by it. */
describe('per-hub rate limit', () => {
  let hub: TestApp;
  let receiver: TestReceiver;

  beforeEach(async () => {
    receiver = await TestReceiver.start();
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  const arrivedAt = (path: string) => receiver.requestsTo(path).map((r) => r.at);

  it('should deliver 200 events to a hub limited to 20/s in 9 to 12 s, and to an unlimited hub at full speed', async () => {
    // The production poll: a limited hub's next tokens are claimed at the next poll at the latest.
    hub = await buildTestApp({ worker: { pollMs: 1000, concurrency: 64, perHubConcurrency: 4 } });
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const limited = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/limited'), rateLimit: { perSecond: 20 } });
    expect(limited.status).toBe(201);
    expect(limited.body.rateLimit).toEqual({ perSecond: 20 });
    await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/free') });

    const started = Date.now();
    // Published in concurrent batches, so publishing takes a small part of the limited hub's 9 s.
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: batch * 20 + i })));
      expect(answers.every((r) => r.status === 201)).toBe(true);
    }
    const published = Date.now();
    await pollUntil(async () => (receiver.requestsTo('/free').length >= 200 ? true : undefined), 10_000, '200 unlimited deliveries', 20);
    const freeDone = Date.now();
    await pollUntil(async () => (receiver.requestsTo('/limited').length >= 200 ? true : undefined), 20_000, '200 limited deliveries', 50);
    const limitedTimes = arrivedAt('/limited');
    const limitedSpan = Math.max(...limitedTimes) - started;
    expect(limitedSpan).toBeGreaterThanOrEqual(9000);
    expect(limitedSpan).toBeLessThanOrEqual(12_000);
    // The unlimited hub kept pace with publishing: done long before the limited one could be.
    expect(freeDone - published).toBeLessThan(3000);
    const deliveries = (await hub.client.get(`${API}/topic/${topicId}/hub/${limited.body.id}/delivery?limit=1000`)).body as Array<{ attemptCount: number; attempts: Array<{ at: string }> }>;
    expect(deliveries).toHaveLength(200);
    expect(deliveries.every((d) => d.attemptCount === 1)).toBe(true);
    // No one-second window holds more than a burst (20) plus what one second refills (20). Counted on the
    // times the hub started its attempts (the clock its limiter keeps), not on arrivals: the network's
    // jitter can bunch requests sent a second apart at the receiver.
    const sorted = deliveries.map((d) => Date.parse(d.attempts[0].at)).sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i++) {
      const inWindow = sorted.filter((t) => t >= sorted[i] && t < sorted[i] + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(40);
    }
  }, 40_000);

  it('should hold the limit for the hub as a whole with two worker processes on one store, approximately', async () => {
    // Two apps on the same stores stand for two hub processes; each keeps to its share (10/s / 2).
    hub = await buildTestApp({ worker: { pollMs: 200 } });
    const second = await buildTestApp({ stores: hub.stores, worker: { pollMs: 200 } });
    try {
      const topicId = (await hub.client.post(`${API}/topic`, { name: 'shared' })).body.id;
      await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/shared'), rateLimit: { perSecond: 10 } });
      // Both workers must have said they are alive before the load, so each knows it has a share.
      await pollUntil(async () => ((await hub.stores.deliveries.heartbeat('worker', 'probe', Date.now(), 600)) >= 3 ? true : undefined), 5000, 'both workers alive', 50);
      const started = Date.now();
      for (let i = 0; i < 60; i++) await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: i });
      await pollUntil(async () => (receiver.requestsTo('/shared').length >= 60 ? true : undefined), 20_000, '60 deliveries', 50);
      const span = Math.max(...arrivedAt('/shared')) - started;
      // 10 at once (each process's burst of 5), then 10/s: about 5 s. One process alone at 10/s would also
      // take 5 s, but two processes each using the whole rate would take 2.5 s.
      expect(span).toBeGreaterThanOrEqual(4000);
      expect(span).toBeLessThanOrEqual(8000);
      const workers = new Set((await hub.stores.deliveries.list((await hub.client.get(`${API}/topic/${topicId}/hub`)).body[0].id, { filter: [], offset: 0, limit: 100 })).items.map((d) => d.attempts[0]?.worker));
      expect(workers.size).toBe(2);
    } finally {
      await second.stop();
    }
  }, 40_000);

  it.each([
    ['a zero rate', { perSecond: 0 }],
    ['a negative rate', { perSecond: -1 }],
    ['no perSecond', {}],
    ['an unknown attribute', { perSecond: 5, burst: 10 }],
    ['a string', { perSecond: 'fast' }],
  ])('should refuse %s with a 400', async (_case, rateLimit) => {
    hub = await buildTestApp();
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const res = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/x'), rateLimit });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/rateLimit/);
  });
});
