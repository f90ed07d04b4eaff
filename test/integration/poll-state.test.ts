import type { Stores } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';

/** GET /topic/{topicId}/state and /state/{resourceId}: the latest state a poll source read, held to the contract. */
describe('the latest state of a polled topic', () => {
  let mock: Tmf622Mock;
  let stores: Stores;
  let cleanup: () => Promise<void>;
  let hub: TestApp;
  let topicId: string;

  beforeAll(async () => {
    mock = await Tmf622Mock.start();
    ({ stores, cleanup } = await createTestStores());
    hub = await buildTestApp({ stores });
    mock.orders = [
      productOrder('o1', { state: 'completed', priority: '1' }),
      productOrder('o2'),
      productOrder('o3', { state: 'completed', priority: '3' }),
    ];
    const res = await hub.client.post(`${API}/topic`, { name: 'orders', source: { poll: mock.url, resourceType: 'ProductOrder' } });
    topicId = res.body.id;
    await hub.polls.refresh();
    await hub.polls.pollNow(topicId);
  });

  afterAll(async () => {
    await hub.stop();
    await mock.close();
    await cleanup();
  });

  it.each<[string, string, string[], number]>([
    ['every state, in the order first seen', '', ['o1', 'o2', 'o3'], 3],
    ['a TMF630 filter', '?state=completed', ['o1', 'o3'], 2],
    ['a comparison', '?priority.lte=3&state=completed', ['o1', 'o3'], 2],
    ['a page', '?offset=1&limit=1', ['o2'], 3],
  ])('should list %s with X-Total-Count', async (_case, query, ids, total) => {
    const res = await hub.client.get(`${API}/topic/${topicId}/state${query}`);
    expect(res.status).toBe(200);
    expect(res.body.map((state: { id: string }) => state.id)).toEqual(ids);
    expect(res.headers['x-total-count']).toBe(String(total));
  });

  it('should show each state as the source returned it, and keep only the fields asked for (with id, href and @type)', async () => {
    expect((await hub.client.get(`${API}/topic/${topicId}/state/o2`)).body).toEqual(productOrder('o2'));
    const kept = (id: string, extra: Record<string, unknown>) => ({ id, href: productOrder(id).href, '@type': 'ProductOrder', ...extra });
    expect((await hub.client.get(`${API}/topic/${topicId}/state?fields=state&state=completed`)).body).toEqual([kept('o1', { state: 'completed' }), kept('o3', { state: 'completed' })]);
    expect((await hub.client.get(`${API}/topic/${topicId}/state/o1?fields=priority`)).body).toEqual(kept('o1', { priority: '1' }));
  });

  it.each<[string, string, RegExp]>([
    ['a resource the topic holds no state of', 'state/o9', /holds no state of resource o9/],
    ['an unknown topic (list)', '../nope/state', /Topic nope does not exist/],
    ['an unknown topic (one)', '../nope/state/o1', /Topic nope does not exist/],
  ])('should answer 404 for %s', async (_case, path, message) => {
    const url = new URL(`${API}/topic/${topicId}/${path}`, 'http://h').pathname;
    const res = await hub.client.get(url);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ '@type': 'Error', code: 'NotFound' });
    expect(res.body.message).toMatch(message);
  });

  it('should delete the states, and the poll record, with the topic', async () => {
    const created = await hub.client.post(`${API}/topic`, { name: 'doomed', source: { poll: mock.url } });
    const id = created.body.id;
    await hub.polls.refresh();
    await hub.polls.pollNow(id);
    expect((await stores.states.list(id, { filter: [], offset: 0, limit: 1 })).total).toBe(3);
    expect((await hub.client.delete(`${API}/topic/${id}`)).status).toBe(204);
    expect((await stores.states.list(id, { filter: [], offset: 0, limit: 1 })).total).toBe(0);
    expect(await stores.polls.get(id)).toBeUndefined();
  });

  it('should keep the latest state each published event carries on a topic with keepState', async () => {
    const created = await hub.client.post(`${API}/topic`, { name: 'kept', keepState: true });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const publish = (eventType: string, productOrder: Record<string, unknown>) => hub.client.post(`${API}/topic/${id}/event`, { eventType, event: { productOrder } });
    await publish('ProductOrderCreateEvent', { id: 'k1', state: 'acknowledged', note: 'x' });
    await publish('ProductOrderCreateEvent', { id: 'k2', state: 'acknowledged' });
    await publish('ProductOrderStateChangeEvent', { id: 'k1', state: 'completed' });
    await publish('ProductOrderDeleteEvent', { id: 'k2' });
    await hub.client.post(`${API}/topic/${id}/event`, { eventType: 'Heartbeat', event: {} });
    const res = await hub.client.get(`${API}/topic/${id}/state`);
    expect(res.body).toEqual([{ id: 'k1', state: 'completed' }]);
    expect((await hub.client.get(`${API}/topic/${topicId}/state`)).body).toHaveLength(3);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['keepState with a poll source', { keepState: true, source: { poll: 'http://127.0.0.1:9/list' } }, 'keepState: a poll source keeps the latest states itself; leave keepState out'],
    ['a keepState that is not a boolean', { keepState: 'yes' }, 'keepState'],
    ['a poll URL that is not one', { source: { poll: 'orders' } }, 'source.poll'],
    ['a poll URL with user information', { source: { poll: 'http://u:p@127.0.0.1:9/l' } }, 'source.poll'],
    ['an interval below 1s', { source: { poll: 'http://127.0.0.1:9/l', interval: '500ms' } }, 'source.interval: must be from 1s to 24h'],
    ['an interval that is no duration', { source: { poll: 'http://127.0.0.1:9/l', interval: 'often' } }, 'source.interval'],
    ['lastPollAt sent', { source: { poll: 'http://127.0.0.1:9/l', lastPollAt: '2026-01-01T00:00:00Z' } }, 'source.lastPollAt: the hub records it'],
  ])('should refuse %s, storing nothing', async (_case, extra, message) => {
    const before = (await hub.client.get(`${API}/topic`)).body.length;
    const res = await hub.client.post(`${API}/topic`, { name: `bad-${Math.random()}`, ...extra });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ '@type': 'Error', code: 'BadRequest' });
    expect(res.body.message).toContain(message);
    expect((await hub.client.get(`${API}/topic`)).body).toHaveLength(before);
  });
});
