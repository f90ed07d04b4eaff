import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

describe('notification delivery (app + worker + a real listener)', () => {
  let hub: TestApp;
  let receiver: TestReceiver;
  const apps: TestApp[] = [];

  async function start(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
    const app = await buildTestApp({ worker: {}, ...options });
    apps.push(app);
    return app;
  }

  async function topic(body: Record<string, unknown> = { name: 'orders' }, app = hub): Promise<string> {
    const res = await app.client.post(`${API}/topic`, body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function subscribe(topicId: string, body: Record<string, unknown>, app = hub): Promise<string> {
    const res = await app.client.post(`${API}/topic/${topicId}/hub`, body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function publish(topicId: string, body: Record<string, unknown>, app = hub) {
    const res = await app.client.post(`${API}/topic/${topicId}/event`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  const arrivals = (path: string, count: number, timeoutMs = 5000) =>
    pollUntil(async () => (receiver.requestsTo(path).length >= count ? receiver.requestsTo(path) : undefined), timeoutMs, `${count} requests to ${path}`);

  async function deliveries(topicId: string, hubId: string, query = '') {
    const res = await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/delivery${query}`);
    expect(res.status).toBe(200);
    return res.body as Array<Record<string, any>>;
  }

  beforeEach(async () => {
    receiver = await TestReceiver.start();
    hub = await start();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await receiver.close();
  });

  it('should deliver to a matching hub, not to a non-matching one, and project with fields=', async () => {
    const t = await topic();
    await subscribe(t, { callback: receiver.url('/all') });
    await subscribe(t, { callback: receiver.url('/created'), query: 'eventType=ProductOrderCreateEvent' });
    await subscribe(t, { callback: receiver.url('/completed'), query: 'event.productOrder.state=completed' });
    await subscribe(t, { callback: receiver.url('/ids'), query: 'eventType=ProductOrderStateChangeEvent&fields=event.productOrder.id' });
    const created = await publish(t, { eventType: 'ProductOrderCreateEvent', event: { productOrder: { id: 'PO-1', state: 'acknowledged' } } });
    const changed = await publish(t, { eventType: 'ProductOrderStateChangeEvent', event: { productOrder: { id: 'PO-1', state: 'completed' } } });

    const all = await arrivals('/all', 2);
    expect(all.map((r) => r.json.eventId).sort()).toEqual([created.eventId, changed.eventId].sort());
    // The delivered body is the event as GET returns it.
    const got = await hub.client.get(`${API}/topic/${t}/event/${created.id}`);
    expect(all.find((r) => r.json.eventId === created.eventId)!.json).toEqual(got.body);
    expect(all[0].headers['content-type']).toBe('application/json');

    expect((await arrivals('/created', 1)).map((r) => r.json.eventId)).toEqual([created.eventId]);
    expect((await arrivals('/completed', 1)).map((r) => r.json.eventId)).toEqual([changed.eventId]);
    const ids = await arrivals('/ids', 1);
    expect(ids[0].json).toEqual({ id: changed.id, href: changed.href, '@type': 'Event', event: { productOrder: { id: 'PO-1' } } });

    // Nothing else arrives for the non-matching hubs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requestsTo('/created')).toHaveLength(1);
    expect(receiver.requestsTo('/completed')).toHaveLength(1);
  });

  it("should gate every hub with the topic's headerQuery and contentQuery", async () => {
    const t = await topic({ name: 'gated', headerQuery: 'domain=commercial', contentQuery: 'productOrder.category=B2B' });
    await subscribe(t, { callback: receiver.url('/gated') });
    await publish(t, { eventId: 'wrong-domain', domain: 'technical', event: { productOrder: { category: 'B2B' } } });
    await publish(t, { eventId: 'wrong-content', domain: 'commercial', event: { productOrder: { category: 'B2C' } } });
    await publish(t, { eventId: 'both-match', domain: 'commercial', event: { productOrder: { category: 'B2B' } } });
    const got = await arrivals('/gated', 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requestsTo('/gated').map((r) => r.json.eventId)).toEqual(['both-match']);
    expect(got[0].json.domain).toBe('commercial');
  });

  it('should send TopicCreateEvent and TopicDeleteEvent to POST /hub registrations', async () => {
    const reg = await hub.client.post(`${API}/hub`, { callback: receiver.url('/api-listener') });
    const filtered = await hub.client.post(`${API}/hub`, { callback: receiver.url('/deletes-only'), query: 'eventType=TopicDeleteEvent' });
    const t = await topic({ name: 'announced' });
    const created = await arrivals('/api-listener', 1);
    expect(created[0].json).toMatchObject({ eventType: 'TopicCreateEvent', event: { topic: { id: t, name: 'announced', '@type': 'Topic' } } });
    expect(created[0].json.event.topic.href).toBe(`http://hub.test${API}/topic/${t}`);
    expect((await hub.client.delete(`${API}/topic/${t}`)).status).toBe(204);
    const both = await arrivals('/api-listener', 2);
    expect(both[1].json).toMatchObject({ eventType: 'TopicDeleteEvent', event: { topic: { id: t, name: 'announced' } } });
    const deletes = await arrivals('/deletes-only', 1);
    expect(deletes.map((r) => r.json.eventType)).toEqual(['TopicDeleteEvent']);
    const log = await hub.client.get(`${API}/hub/${reg.body.id}/delivery`);
    expect(log.body.map((d: { eventType: string }) => d.eventType)).toEqual(['TopicCreateEvent', 'TopicDeleteEvent']);
    expect((await hub.client.get(`${API}/hub/${filtered.body.id}/delivery`)).body).toHaveLength(1);
  });

  it('should make exactly three attempts with one webhook-id for a listener failing twice with 500 then answering 201', async () => {
    receiver.responder = (_req, i) => ({ status: i < 2 ? 500 : 201, body: i < 2 ? 'not yet' : 'ok' });
    const t = await topic();
    const h = await subscribe(t, { callback: receiver.url('/flaky') });
    const event = await publish(t, { eventType: 'X' });
    const got = await arrivals('/flaky', 3);
    await pollUntil(async () => ((await deliveries(t, h))[0]?.status === 'delivered' ? true : undefined), 5000, 'the delivery to be recorded as delivered');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requestsTo('/flaky')).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(got.map((r) => r.json.eventId)).toEqual([event.eventId, event.eventId, event.eventId]);
    expect(got.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(Number(got[0].headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000);

    const [delivery] = await deliveries(t, h);
    expect(delivery.id).toBe(got[0].headers['webhook-id']);
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 3, eventId: event.eventId, url: receiver.url('/flaky') });
    expect(delivery.attempts.map((a: any) => [a.number, a.statusCode, a.outcome, a.response])).toEqual([
      [1, 500, 'failed', 'not yet'],
      [2, 500, 'failed', 'not yet'],
      [3, 201, 'delivered', 'ok'],
    ]);
    expect(delivery.attempts.every((a: any) => typeof a.durationMs === 'number' && !Number.isNaN(Date.parse(a.at)))).toBe(true);
  });

  it('should unregister a hub whose listener answers 410 Gone', async () => {
    receiver.responder = () => ({ status: 410 });
    const t = await topic();
    const h = await subscribe(t, { callback: receiver.url('/gone') });
    await publish(t, { eventType: 'X' });
    await arrivals('/gone', 1);
    await pollUntil(async () => ((await hub.client.get(`${API}/topic/${t}/hub/${h}`)).status === 404 ? true : undefined), 5000, 'the hub to be removed');
    await publish(t, { eventType: 'Y' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requestsTo('/gone')).toHaveLength(1);
  });

  it('should leave a dead delivery when the schedule is used up, listed, and send it again on redeliver', async () => {
    receiver.responder = () => ({ status: 503 });
    const t = await topic();
    const h = await subscribe(t, { callback: receiver.url('/down') });
    const event = await publish(t, { eventType: 'X' });
    await arrivals('/down', 3);
    const [dead] = await pollUntil(async () => {
      const list = await deliveries(t, h, '?status=dead');
      return list.length ? list : undefined;
    }, 5000, 'a dead delivery');
    expect(dead).toMatchObject({ status: 'dead', attemptCount: 3, eventId: event.eventId });
    expect(dead.nextAttemptAt).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requestsTo('/down')).toHaveLength(3);

    receiver.responder = () => ({ status: 204 });
    const again = await hub.client.post(`${API}/topic/${t}/hub/${h}/delivery/${dead.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('pending');
    const all = await arrivals('/down', 4);
    expect(all[3].headers['webhook-id']).toBe(dead.id);
    await pollUntil(async () => ((await deliveries(t, h))[0].status === 'delivered' ? true : undefined), 5000, 'the redelivery to succeed');
    const one = await hub.client.get(`${API}/topic/${t}/hub/${h}/delivery/${dead.id}`);
    expect(one.body).toMatchObject({ status: 'delivered', attemptCount: 4 });
  });

  it('should not let a listener that hangs past the timeout delay a healthy listener on the same topic', async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    hub = await start({ worker: { timeoutMs: 1500, retrySchedule: [60_000], perHubConcurrency: 2, concurrency: 8 } });
    const hang = await TestReceiver.start(() => ({ status: 200, delayMs: 10_000 }));
    try {
      const t = await topic();
      await subscribe(t, { callback: hang.url('/hang') });
      await subscribe(t, { callback: receiver.url('/healthy') });
      const published: Array<{ eventId: string; at: number }> = [];
      for (let i = 0; i < 6; i++) {
        const e = await publish(t, { eventType: 'X', eventId: `e${i}` });
        published.push({ eventId: e.eventId, at: Date.now() });
      }
      const healthy = await arrivals('/healthy', 6, 3000);
      // Every healthy delivery arrived well before the hanging listener's timeout (1.5 s) had passed once.
      const lags = healthy.map((r) => r.at - published.find((p) => p.eventId === r.json.eventId)!.at);
      expect(Math.max(...lags)).toBeLessThan(1000);
      // The hanging hub held at most its own two slots.
      expect(hang.requests.length).toBeLessThanOrEqual(2);
    } finally {
      await hang.close();
    }
  });

  it('should treat a redirect as a failure and never follow it', async () => {
    receiver.responder = (req) => (req.path === '/moved' ? { status: 302, headers: { Location: '/target' } } : { status: 200 });
    const t = await topic();
    const h = await subscribe(t, { callback: receiver.url('/moved') });
    await publish(t, { eventType: 'X' });
    await arrivals('/moved', 3);
    const [d] = await pollUntil(async () => {
      const list = await deliveries(t, h, '?status=dead');
      return list.length ? list : undefined;
    }, 5000, 'the redirected delivery to die');
    expect(d.attempts.map((a: any) => a.statusCode)).toEqual([302, 302, 302]);
    expect(receiver.requestsTo('/target')).toHaveLength(0);
  });

  it('should record a refused connection as a failed attempt with the error', async () => {
    const closed = await TestReceiver.start();
    const url = closed.url('/nobody');
    await closed.close();
    const t = await topic();
    const h = await subscribe(t, { callback: url });
    await publish(t, { eventType: 'X' });
    const [d] = await pollUntil(async () => {
      const list = await deliveries(t, h, '?status=dead');
      return list.length ? list : undefined;
    }, 5000, 'the delivery to a closed port to die');
    expect(d.attempts).toHaveLength(3);
    expect(d.attempts[0].error).toMatch(/ECONNREFUSED/);
    expect(d.attempts[0].statusCode).toBeUndefined();
  });

  it('should append /listener/{eventType in lowerCamel} to callbacks with HUB_LISTENER_SUFFIX', async () => {
    const suffixed = await start({ listenerSuffix: true });
    const t = await topic({ name: 'suffix' }, suffixed);
    await subscribe(t, { callback: receiver.url('/client/') }, suffixed);
    await publish(t, { eventType: 'ProductOrderCreateEvent' }, suffixed);
    const got = await arrivals('/client/listener/productOrderCreateEvent', 1);
    expect(got[0].json.eventType).toBe('ProductOrderCreateEvent');
  });

  it('should stop deliveries of a deleted hub, and 404 its delivery log', async () => {
    receiver.responder = () => ({ status: 500 });
    const t = await topic();
    const h = await subscribe(t, { callback: receiver.url('/deleted') });
    await publish(t, { eventType: 'X' });
    await arrivals('/deleted', 1);
    expect((await hub.client.delete(`${API}/topic/${t}/hub/${h}`)).status).toBe(204);
    const seen = receiver.requestsTo('/deleted').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // At most the attempt in flight when the hub was deleted completes.
    expect(receiver.requestsTo('/deleted').length).toBeLessThanOrEqual(seen + 1);
    expect((await hub.client.get(`${API}/topic/${t}/hub/${h}/delivery`)).status).toBe(404);
  });

  it('should answer 404 for the delivery log of unknown hubs and deliveries', async () => {
    const t = await topic();
    const h = await subscribe(t, { callback: receiver.url('/x') });
    expect((await hub.client.get(`${API}/topic/${t}/hub/nope/delivery`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/nope/hub/${h}/delivery`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/${t}/hub/${h}/delivery/nope`)).status).toBe(404);
    expect((await hub.client.post(`${API}/topic/${t}/hub/${h}/delivery/nope/redeliver`)).status).toBe(404);
    expect((await hub.client.get(`${API}/hub/nope/delivery`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/${t}/hub/${h}/delivery?limit=abc`)).status).toBe(400);
  });
});
