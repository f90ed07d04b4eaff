import { checkKeyOrder, failingFirstAttempts, seededRandom } from '../helpers/ordering-check';
import { inParallel } from '../helpers/in-parallel';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

const KEYS = 10;
const orderEvent = (i: number) => ({
  eventType: 'ProductOrderStateChangeEvent',
  eventId: `order-${i}`,
  event: { productOrder: { id: `PO-${i % KEYS}`, step: i } },
});

describe('ordered delivery', () => {
  let hub: TestApp;
  let receiver: TestReceiver;
  let topicId: string;

  beforeEach(async () => {
    receiver = await TestReceiver.start();
    hub = await buildTestApp({ worker: { retrySchedule: [30, 30, 30, 30, 30], concurrency: 16, perHubConcurrency: 4, pollMs: 25 } });
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  const createHub = async (body: Record<string, unknown>) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/hub`, body);
    expect(res.status).toBe(201);
    return res.body as { id: string; ordering?: unknown };
  };
  /** The topic's events in the order the hub accepted them (the list's default order: the sequence). */
  const publishOrder = async () =>
    ((await hub.client.get(`${API}/topic/${topicId}/event?limit=1000&fields=eventId,event`)).body as Array<{ eventId: string; event: { productOrder: { id: string } } }>).map(
      (e) => ({ eventId: e.eventId, key: e.event.productOrder.id }),
    );
  const deliveredTo = (path: string) => new Set(receiver.requestsTo(path).filter((r) => r.json).map((r) => r.json.eventId)).size;

  it('should deliver 1,000 events over 10 keys in publish order per key, none lost, with 20% of first attempts failing, without slowing an unordered hub', async () => {
    const failing = failingFirstAttempts('/ordered', 0.2, seededRandom(17));
    receiver.responder = failing.responder;
    const ordered = await createHub({ callback: receiver.url('/ordered'), ordering: { key: 'event.productOrder.id' } });
    expect(ordered.ordering).toEqual({ key: 'event.productOrder.id' });
    await createHub({ callback: receiver.url('/plain') });

    await inParallel(Array.from({ length: 1000 }, (_, i) => i), 10, async (i) => {
      expect((await hub.client.post(`${API}/topic/${topicId}/event`, orderEvent(i))).status).toBe(201);
    });
    const published = await publishOrder();
    expect(published).toHaveLength(1000);

    await pollUntil(async () => (deliveredTo('/plain') >= 1000 ? true : undefined), 120_000, '1000 events at /plain', 20);
    await pollUntil(async () => (checkKeyOrder(receiver.requestsTo('/ordered'), published, failing.refused).lost.length === 0 ? true : undefined), 120_000, 'every ordered event delivered', 20);
    // Where each hub completed in the listener's arrival log (positions, not wall-clock times).
    const lastIndex = (path: string) => receiver.requests.reduce((last, r, i) => (r.path === path && !failing.refused.has(r) ? i : last), -1);
    const plainDone = lastIndex('/plain');
    const orderedDone = lastIndex('/ordered');

    const report = checkKeyOrder(receiver.requestsTo('/ordered'), published, failing.refused);
    expect(report.outOfOrder).toEqual([]);
    expect(report.lost).toEqual([]);
    // About 200 first attempts failed and were retried: the order held through real retries.
    expect(report.failedFirstAttempts).toBeGreaterThan(100);
    // The unordered hub had everything while the ordered one was still working through its keys.
    expect(plainDone).toBeLessThan(orderedDone);
    expect(receiver.requestsTo('/plain')).toHaveLength(1000);

    const log = (await hub.client.get(`${API}/topic/${topicId}/hub/${ordered.id}/delivery?limit=3&orderingKey=PO-3`)).body as Array<Record<string, unknown>>;
    expect(log).toHaveLength(3);
    expect(log.every((d) => d.orderingKey === 'PO-3' && typeof d.sequence === 'number')).toBe(true);
  }, 180_000);

  it('should make every notification of a hub with "ordering": "hub" one strict sequence', async () => {
    const failing = failingFirstAttempts('/strict', 0.3, seededRandom(5));
    receiver.responder = failing.responder;
    const strict = await createHub({ callback: receiver.url('/strict'), ordering: 'hub' });
    expect(strict.ordering).toBe('hub');
    await inParallel(Array.from({ length: 60 }, (_, i) => i), 6, async (i) => {
      expect((await hub.client.post(`${API}/topic/${topicId}/event`, orderEvent(i))).status).toBe(201);
    });
    const published = (await publishOrder()).map((p) => ({ eventId: p.eventId, key: strict.id }));
    await pollUntil(async () => (checkKeyOrder(receiver.requests, published, failing.refused).lost.length === 0 ? true : undefined), 30_000, 'all 60 delivered', 20);
    const report = checkKeyOrder(receiver.requests, published, failing.refused);
    expect(report.outOfOrder).toEqual([]);
    expect(report.failedFirstAttempts).toBeGreaterThan(5);
    const [first] = (await hub.client.get(`${API}/topic/${topicId}/hub/${strict.id}/delivery?limit=1`)).body as Array<Record<string, unknown>>;
    expect(first.orderingKey).toBe(strict.id);
  }, 60_000);

  it('should send an event without the key path unordered, and say so in its delivery record', async () => {
    receiver.responder = () => ({ status: 204 });
    const keyed = await createHub({ callback: receiver.url('/keyed'), ordering: { key: 'event.order.ref' } });
    for (const [eventId, ref] of [['with-key', 'c-1'], ['number-key', 42], ['without-key', undefined], ['object-key', { a: 1 }]] as const) {
      const event = ref === undefined ? { order: {} } : { order: { ref } };
      expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', eventId, event })).status).toBe(201);
    }
    await pollUntil(async () => (receiver.requests.length >= 4 ? true : undefined), 10_000, '4 deliveries', 20);
    const log = (await hub.client.get(`${API}/topic/${topicId}/hub/${keyed.id}/delivery`)).body as Array<{ eventId: string; orderingKey?: string; sequence?: number; status: string }>;
    const byEvent = Object.fromEntries(log.map((d) => [d.eventId, d]));
    expect(byEvent['with-key']).toMatchObject({ orderingKey: 'c-1', status: 'delivered' });
    expect(byEvent['number-key']).toMatchObject({ orderingKey: '42', status: 'delivered' });
    expect(byEvent['without-key'].orderingKey).toBeUndefined();
    expect(byEvent['object-key'].orderingKey).toBeUndefined();
    // Every delivery carries its event's sequence, ordered or not: 1..4 in publish order.
    expect(['with-key', 'number-key', 'without-key', 'object-key'].map((id) => byEvent[id].sequence)).toEqual([1, 2, 3, 4]);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown word', 'topic', /ordering/],
    ['a key that is not a string', { key: 5 }, /ordering/],
    ['an empty key', { key: '' }, /ordering/],
    ['an empty path segment', { key: 'event..id' }, /ordering/],
    ['a segment starting with $', { key: 'event.$where' }, /ordering/],
    ['an unknown attribute beside key', { key: 'a', by: 'b' }, /ordering/],
    ['an array', ['hub'], /ordering/],
  ])('should refuse %s with a 400 that names ordering, creating nothing', async (_label, ordering, message) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/x'), ordering });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ '@type': 'Error', status: '400' });
    expect(res.body.message).toMatch(message);
    const listener = await hub.client.post(`${API}/hub`, { callback: receiver.url('/x'), ordering });
    expect(listener.status).toBe(400);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub`)).body).toEqual([]);
  });

  it('should show ordering on the hub and on a POST /hub registration, and filter hubs by it', async () => {
    const keyed = await createHub({ callback: receiver.url('/a'), ordering: { key: 'event.productOrder.id' } });
    const strict = await createHub({ callback: receiver.url('/b'), ordering: 'hub' });
    await createHub({ callback: receiver.url('/c') });
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${keyed.id}`)).body.ordering).toEqual({ key: 'event.productOrder.id' });
    const byHub = (await hub.client.get(`${API}/topic/${topicId}/hub?ordering=hub`)).body as Array<{ id: string }>;
    expect(byHub.map((h) => h.id)).toEqual([strict.id]);
    const byKey = (await hub.client.get(`${API}/topic/${topicId}/hub?ordering.key=event.productOrder.id`)).body as Array<{ id: string }>;
    expect(byKey.map((h) => h.id)).toEqual([keyed.id]);
    const registration = await hub.client.post(`${API}/hub`, { callback: receiver.url('/topics'), ordering: 'hub' });
    expect(registration.status).toBe(201);
    expect((await hub.client.get(`${API}/hub/${registration.body.id}`)).body.ordering).toBe('hub');
  });

  it('should deliver the API notifications to an ordered POST /hub registration in the order they were made', async () => {
    const failing = failingFirstAttempts('/topics', 0.5, seededRandom(3));
    receiver.responder = failing.responder;
    const registration = await hub.client.post(`${API}/hub`, { callback: receiver.url('/topics'), ordering: 'hub' });
    const created: string[] = [];
    for (let i = 0; i < 8; i++) created.push((await hub.client.post(`${API}/topic`, { name: `t${i}` })).body.id);
    const published = created.map((id) => ({ id, key: registration.body.id as string }));
    await pollUntil(async () => (new Set(receiver.requests.filter((r) => !failing.refused.has(r)).map((r) => r.json.event.topic.id)).size >= 8 ? true : undefined), 10_000, '8 notifications', 20);
    const arrived: string[] = [];
    for (const r of receiver.requests) {
      const id = r.json.event.topic.id as string;
      if (arrived[arrived.length - 1] !== id) arrived.push(id);
    }
    expect(arrived).toEqual(published.map((p) => p.id));
  });

  it('should replay to an ordered hub in publish order per key', async () => {
    receiver.responder = () => ({ status: 204 });
    const from = new Date(Date.now() - 1000).toISOString();
    await inParallel(Array.from({ length: 40 }, (_, i) => i), 8, async (i) => {
      await hub.client.post(`${API}/topic/${topicId}/event`, orderEvent(i));
    });
    const published = await publishOrder();
    const ordered = await createHub({ callback: receiver.url('/replayed'), ordering: { key: 'event.productOrder.id' } });
    const replay = await hub.client.post(`${API}/topic/${topicId}/hub/${ordered.id}/replay`, { from, to: new Date(Date.now() + 1000).toISOString() });
    expect(replay.body).toEqual({ events: 40, queued: 40 });
    await pollUntil(async () => (deliveredTo('/replayed') >= 40 ? true : undefined), 10_000, '40 replayed', 20);
    expect(checkKeyOrder(receiver.requestsTo('/replayed'), published, new Set()).outOfOrder).toEqual([]);
  });
});
