import { applyPatch, deepClone } from 'fast-json-patch';
import type { PollTurn } from '../../src/hub/poll-sources';
import type { Stores } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';

/** Events of the topic in publication order: type, resource id, fieldPath, patch. */
async function events(hub: TestApp, topicId: string): Promise<Array<Record<string, any>>> {
  const res = await hub.client.get(`${API}/topic/${topicId}/event?limit=1000`);
  expect(res.status).toBe(200);
  return res.body;
}

const summary = (list: Array<Record<string, any>>) => list.map((e) => [e.eventType, e.event.productOrder.id]);

describe('a topic whose source polls a TMF622 productOrder list', () => {
  let mock: Tmf622Mock;
  let stores: Stores;
  let cleanup: () => Promise<void>;
  let hub: TestApp;
  let topicId: string;

  async function createTopic(source: Record<string, unknown>, app = hub): Promise<string> {
    const res = await app.client.post(`${API}/topic`, { name: `orders-${Math.random()}`, source });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function poll(app = hub, id = topicId): Promise<PollTurn> {
    await app.polls.refresh();
    return app.polls.pollNow(id);
  }

  beforeEach(async () => {
    mock = await Tmf622Mock.start();
    ({ stores, cleanup } = await createTestStores());
    hub = await buildTestApp({ stores });
    mock.orders = [productOrder('o1'), productOrder('o2')];
    topicId = await createTopic({ poll: mock.url, interval: '1s', resourceType: 'ProductOrder' });
  });

  afterEach(async () => {
    await hub.stop();
    await mock.close();
    await cleanup();
  });

  it('should store the baseline on the first poll and publish nothing, then publish exactly what changed, in order', async () => {
    expect(await poll()).toMatchObject({ polled: { baseline: true, changes: 2, published: 0 } });
    expect(await events(hub, topicId)).toEqual([]);
    expect((await stores.states.list(topicId, { filter: [], offset: 0, limit: 10 })).total).toBe(2);

    mock.set('o3', {});
    expect(await poll()).toMatchObject({ polled: { published: 1 } });
    const before = deepClone(mock.orders[0]);
    mock.set('o1', { priority: '1', note: [{ text: 'rush' }] });
    expect(await poll()).toMatchObject({ polled: { published: 1 } });
    mock.set('o1', { state: 'inProgress' });
    expect(await poll()).toMatchObject({ polled: { published: 2 } });
    mock.remove('o2');
    expect(await poll()).toMatchObject({ polled: { published: 1 } });
    expect(await poll()).toMatchObject({ polled: { changes: 0, published: 0 } });

    const published = await events(hub, topicId);
    expect(summary(published)).toEqual([
      ['ProductOrderCreateEvent', 'o3'],
      ['ProductOrderAttributeValueChangeEvent', 'o1'],
      ['ProductOrderAttributeValueChangeEvent', 'o1'],
      ['ProductOrderStateChangeEvent', 'o1'],
      ['ProductOrderDeleteEvent', 'o2'],
    ]);
    const [, attribute, state, stateChange, deleted] = published;
    expect(attribute.fieldPath).toBe('note,priority');
    expect(applyPatch(before, attribute.patch).newDocument).toEqual(attribute.event.productOrder);
    expect(state.fieldPath).toBe('state');
    expect(applyPatch(deepClone(attribute.event.productOrder), state.patch).newDocument).toEqual(mock.orders[0]);
    expect(stateChange).toMatchObject({ fieldPath: 'state', event: { productOrder: { id: 'o1', state: 'inProgress' } } });
    expect(deleted.event.productOrder).toEqual(productOrder('o2'));
    expect(await stores.states.get(topicId, 'o2')).toBeUndefined();
    expect(await stores.states.get(topicId, 'o1')).toEqual(mock.orders[0]);
  });

  it('should publish a CreateEvent per resource on the first poll with emitInitial', async () => {
    const id = await createTopic({ poll: mock.url, emitInitial: true });
    expect(await poll(hub, id)).toMatchObject({ polled: { baseline: true, published: 2 } });
    expect(summary(await events(hub, id))).toEqual([
      ['ProductOrderCreateEvent', 'o1'],
      ['ProductOrderCreateEvent', 'o2'],
    ]);
  });

  it.each([
    ['with X-Total-Count', true],
    ['without it, until a short page', false],
  ])('should read every page of a long list %s', async (_case, totalCount) => {
    mock.totalCount = totalCount;
    mock.orders = Array.from({ length: 250 }, (_, i) => productOrder(`o${i}`));
    await poll();
    expect((await stores.states.list(topicId, { filter: [], offset: 0, limit: 1 })).total).toBe(250);
    expect(mock.gets).toBe(3);
  });

  it('should publish nothing for unchanged resources after a restart, and only what changed meanwhile', async () => {
    await poll();
    await hub.stop();
    hub = await buildTestApp({ stores });
    expect(await poll()).toMatchObject({ polled: { changes: 0, published: 0 } });
    mock.set('o2', { state: 'completed' });
    await hub.stop();
    hub = await buildTestApp({ stores });
    expect(await poll()).toMatchObject({ polled: { published: 2 } });
    expect(summary(await events(hub, topicId))).toEqual([
      ['ProductOrderAttributeValueChangeEvent', 'o2'],
      ['ProductOrderStateChangeEvent', 'o2'],
    ]);
  });

  it('should let one process poll a topic at a time, and another take it over once the first is gone', async () => {
    const second = await buildTestApp({ stores });
    try {
      await poll();
      expect(await poll(second)).toBe('held');
      mock.set('o1', { state: 'completed' });
      await hub.stop(); // gives its leases up
      expect(await poll(second)).toMatchObject({ polled: { published: 2 } });
      hub = await buildTestApp({ stores });
      expect(await poll()).toBe('held');
      expect(summary(await events(second, topicId))).toEqual([
        ['ProductOrderAttributeValueChangeEvent', 'o1'],
        ['ProductOrderStateChangeEvent', 'o1'],
      ]);
    } finally {
      await second.stop();
    }
  });

  it('should record when it polled on the topic, and show the auth without its secret', async () => {
    const id = await createTopic({ poll: mock.url, auth: { type: 'bearer', token: 't0ken' } });
    await poll(hub, id);
    expect(mock.receiver.requests.at(-1)?.headers.authorization).toBe('Bearer t0ken');
    const res = await hub.client.get(`${API}/topic/${id}`);
    expect(res.body.source).toMatchObject({ poll: mock.url, interval: '1m', emitInitial: false, auth: { type: 'bearer' } });
    expect(Date.parse(res.body.source.lastPollAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.body.source).not.toHaveProperty('lastError');
    expect(JSON.stringify(res.body)).not.toContain('t0ken');
  });
});
