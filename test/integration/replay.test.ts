import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

/** POST /topic/{topicId}/hub/{hubId}/replay: stored events of a window, delivered again. */
describe('replay', () => {
  let hub: TestApp;
  let receiver: TestReceiver;
  let topicId: string;

  async function start(config: Parameters<typeof buildTestApp>[0] = {}) {
    hub = await buildTestApp({ worker: { retrySchedule: [] }, ...config });
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  }
  beforeEach(async () => {
    receiver = await TestReceiver.start();
    receiver.responder = (req) => ({ status: JSON.parse(req.body).eventType === 'Fail' ? 500 : 201 });
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  const subscribe = async (path: string, query?: string) =>
    (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url(path), ...(query ? { query } : {}) })).body.id as string;

  /** Publishes one event per type, each in its own millisecond; their ids and the times the hub accepted them. */
  async function publish(types: readonly string[]): Promise<Array<{ id: string; at: number }>> {
    for (const eventType of types) {
      const before = Date.now();
      expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType })).status).toBe(201);
      await pollUntil(async () => (Date.now() > before ? true : undefined), 1000, 'the next millisecond', 1);
    }
    const stored = await hub.stores.events.listStoredBetween(topicId, 0, Number.MAX_SAFE_INTEGER, 0, 1000);
    return stored.items.map((i) => ({ id: i.resource.id, at: i.storedAt }));
  }

  /** Waits until every delivery of the hub is finished; the records, oldest first. */
  async function settled(hubId: string, count: number) {
    return pollUntil(async () => {
      const page = await hub.stores.deliveries.list(hubId, { filter: [], offset: 0, limit: 1000 });
      return page.total === count && page.items.every((d) => d.status !== 'pending') ? page.items : undefined;
    }, 5000, `${count} finished deliveries`);
  }

  const replay = (hubId: string, body: Record<string, unknown>) => hub.client.post(`${API}/topic/${topicId}/hub/${hubId}/replay`, body);
  const iso = (ms: number) => new Date(ms).toISOString();
  const replayedIds = (path: string) =>
    receiver.requestsTo(path).filter((r) => r.headers['webhook-replay'] === 'true').map((r) => JSON.parse(r.body).id as string);

  it('should queue every event of the window, both edges included, marked as replays', async () => {
    await start();
    const hubId = await subscribe('/all');
    const events = await publish(['A', 'B', 'C', 'D', 'E']);
    await settled(hubId, 5);
    expect(receiver.requestsTo('/all').every((r) => r.headers['webhook-replay'] === undefined)).toBe(true);

    const res = await replay(hubId, { from: iso(events[1].at), to: iso(events[3].at) });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ events: 3, queued: 3 });
    await settled(hubId, 8);
    expect(replayedIds('/all').sort()).toEqual(events.slice(1, 4).map((e) => e.id).sort());
    const records = (await hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/delivery?replay=true`)).body as Array<{ replay?: boolean }>;
    expect(records).toHaveLength(3);
    expect(records.every((d) => d.replay === true)).toBe(true);
  });

  it('should leave out events one millisecond outside either edge', async () => {
    await start();
    const hubId = await subscribe('/edges');
    const events = await publish(['A', 'B', 'C']);
    await settled(hubId, 3);
    const res = await replay(hubId, { from: iso(events[0].at + 1), to: iso(events[2].at - 1) });
    expect(res.body).toEqual({ events: 1, queued: 1 });
    await settled(hubId, 4);
    expect(replayedIds('/edges')).toEqual([events[1].id]);
  });

  it('should narrow with a query, on top of the hub\'s own query', async () => {
    await start();
    const hubId = await subscribe('/narrow', 'eventType=A,B,C');
    const events = await publish(['A', 'B', 'C', 'Other']);
    await settled(hubId, 3);
    const res = await replay(hubId, { from: iso(events[0].at), to: iso(events[3].at), query: 'eventType=B,Other' });
    expect(res.body).toEqual({ events: 4, queued: 1 });
    await settled(hubId, 4);
    expect(replayedIds('/narrow')).toEqual([events[1].id]);
  });

  it('should skip events the hub already delivered with onlyUndelivered', async () => {
    await start();
    const hubId = await subscribe('/undelivered');
    const events = await publish(['A', 'Fail', 'B', 'Fail']);
    await settled(hubId, 4);
    const res = await replay(hubId, { from: iso(events[0].at), to: iso(events[3].at), onlyUndelivered: true });
    expect(res.body).toEqual({ events: 4, queued: 2 });
    await settled(hubId, 6);
    expect(replayedIds('/undelivered').sort()).toEqual([events[1].id, events[3].id].sort());
  });

  it('should refuse a window holding more than HUB_REPLAY_MAX events, queueing nothing', async () => {
    await start({ config: { replayMax: 3 } });
    const hubId = await subscribe('/capped');
    const events = await publish(['A', 'B', 'C', 'D']);
    await settled(hubId, 4);
    const res = await replay(hubId, { from: iso(events[0].at), to: iso(events[3].at) });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('The window holds 4 events, more than the 3 one replay may cover (HUB_REPLAY_MAX): ask for a narrower window');
    const ok = await replay(hubId, { from: iso(events[0].at), to: iso(events[2].at) });
    expect(ok.body).toEqual({ events: 3, queued: 3 });
    await settled(hubId, 7);
  });

  it.each([
    ['from after to', { from: '2024-05-02T00:00:00Z', to: '2024-05-01T00:00:00Z' }, /from \(2024-05-02T00:00:00Z\) is after to/],
    ['an invalid query', { from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', query: 'a.regex=(a+)+' }, /^query: /],
    ['no to', { from: '2024-05-01T00:00:00Z' }, /to is required/],
    ['a date that is not a date-time', { from: 'yesterday', to: '2024-05-02T00:00:00Z' }, /from/],
    ['an unknown attribute', { from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', hubId: 'x' }, /hubId is not allowed/],
  ])('should refuse %s with a 400', async (_case, body, message) => {
    await start();
    const hubId = await subscribe('/bad');
    const res = await replay(hubId, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
    expect((await hub.stores.deliveries.list(hubId, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
  });

  it('should answer 404 for an unknown hub or topic', async () => {
    await start();
    const window = { from: '2024-05-01T00:00:00Z', to: '2030-05-02T00:00:00Z' };
    expect((await replay('nope', window)).status).toBe(404);
    expect((await hub.client.post(`${API}/topic/nope/hub/nope/replay`, window)).status).toBe(404);
  });
});
