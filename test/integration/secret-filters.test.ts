import type { Operation } from 'openapi-backend';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** A guess that shares nothing with SECRET beyond the prefix every whsec_ secret has. */
const WRONG = 'whsec_NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN';

/** Pairs of filters: the first holds for SECRET, the second does not. A leak answers them differently. */
const PROBES: ReadonlyArray<[string, string]> = [
  [`secret=${encodeURIComponent(SECRET)}`, `secret=${encodeURIComponent(WRONG)}`],
  ['secret.regex=^whsec_M', 'secret.regex=^whsec_N'],
  ['secret.gte=whsec_M', 'secret.gte=whsec_N'],
  ['secret.lt=whsec_N', 'secret.lt=whsec_M'],
  [`secret.ne=${encodeURIComponent(WRONG)}`, `secret.ne=${encodeURIComponent(SECRET)}`],
  ['secret.value=x&secret.regex=^whsec_M', 'secret.value=x&secret.regex=^whsec_N'],
  ['attempts.secret.regex=^whsec_M', 'attempts.secret.regex=^whsec_N'],
];

/**
 * Regression: the delivery log used to filter on raw records that carried the hub's secret, so
 * `secret.regex=^whsec_M` answered X-Total-Count 1 and `^whsec_N` 0. No list operation of the
 * contract may tell two secrets apart, whatever the filter.
 */
describe('secrets cannot be probed through list filters', () => {
  let hub: TestApp;
  let receiver: TestReceiver;
  let params: Record<string, string>;

  beforeAll(async () => {
    receiver = await TestReceiver.start();
    hub = await buildTestApp({ worker: {} });
    const listenerId = (await hub.client.post(`${API}/hub`, { callback: `${receiver.url('/registration')}`, secret: SECRET })).body.id;
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/hub'), secret: SECRET })).body.id;
    await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'ProductOrderCreateEvent', event: { productOrder: { id: 'PO-1' } } });
    await hub.client.post(`${API}/inbox/probe`, { eventType: 'X', secret: 'not-the-hub-secret' });
    // Both deliveries recorded as delivered (the listener's 201 arrives before the worker records it).
    await pollUntil(async () => {
      const pages = await Promise.all([hub.stores.deliveries.list(hubId, { filter: [], offset: 0, limit: 10 }), hub.stores.deliveries.list(listenerId, { filter: [], offset: 0, limit: 10 })]);
      return pages.every((p) => p.items.length === 1 && p.items[0].status === 'delivered') ? true : undefined;
    }, 5000, 'both deliveries recorded');
    params = { topicId, name: 'probe' };
    params.hubIdOfTopic = hubId;
    params.hubIdOfListener = listenerId;
  });
  afterAll(async () => {
    await hub.stop();
    await receiver.close();
  });

  const listOperations = (): Operation[] =>
    hub.api.getOperations().filter((op) => {
      const schema = (op.responses?.['200'] as { content?: Record<string, { schema?: { type?: string } }> } | undefined)?.content?.['application/json']?.schema;
      return op.method === 'get' && schema?.type === 'array';
    });

  function url(op: Operation): string {
    return API + op.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      name === 'hubId' ? (op.path.startsWith('/topic') ? params.hubIdOfTopic : params.hubIdOfListener) : params[name]);
  }

  it('should find the list operations of the contract, deliveries and inboxes included', () => {
    const ids = listOperations().map((op) => op.operationId);
    expect(ids).toEqual(expect.arrayContaining(['listTopic', 'listEvent', 'listHub', 'listTopicHubDelivery', 'listListenerDelivery', 'listInboxEntry']));
  });

  it('should answer every list operation the same for a right and a wrong guess, whatever the filter', async () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const op of listOperations()) {
      for (const [right, wrong] of PROBES) {
        const a = await hub.client.get(`${url(op)}?${right}`);
        const b = await hub.client.get(`${url(op)}?${wrong}`);
        const seen = (r: typeof a) => ({ status: r.status, total: r.headers['x-total-count'], body: r.status === 400 ? r.body.message.replace(wrong.split('=')[0], right.split('=')[0]) : r.body });
        if (JSON.stringify(seen(a)) !== JSON.stringify(seen(b))) leaks.push(`${op.operationId}: ${right} -> ${a.status}/${a.headers['x-total-count']}, ${wrong} -> ${b.status}/${b.headers['x-total-count']}`);
        expect(JSON.stringify(a.body)).not.toContain(SECRET);
        checked++;
      }
    }
    expect(checked).toBe(listOperations().length * PROBES.length);
    expect(leaks).toEqual([]);
  });

  it.each([
    ['listHub', () => `${API}/topic/${params.topicId}/hub?secret.regex=^whsec_M`, 'secret cannot be used in a filter: it is never shown'],
    ['listTopicHubDelivery', () => `${API}/topic/${params.topicId}/hub/${params.hubIdOfTopic}/delivery?secret.regex=^whsec_M`, 'secret cannot be used in a filter: no such attribute is shown'],
    ['listListenerDelivery', () => `${API}/hub/${params.hubIdOfListener}/delivery?payload.regex=Topic`, 'payload cannot be used in a filter: no such attribute is shown'],
    ['listTopicHubDelivery', () => `${API}/topic/${params.topicId}/hub/${params.hubIdOfTopic}/delivery?attempts.leaseOwner=x`, 'attempts.leaseOwner cannot be used in a filter: no such attribute is shown'],
    ['listTopicHubDelivery', () => `${API}/topic/${params.topicId}/hub/${params.hubIdOfTopic}/delivery?attemptCount=1`, 'attemptCount cannot be used in a filter: it is computed for the answer, not stored'],
    ['listTopic', () => `${API}/topic?href=x`, 'href cannot be used in a filter: it is computed for the answer, not stored'],
    ['listInboxEntry', () => `${API}/inbox/probe?secret=not-the-hub-secret`, 'secret cannot be used in a filter: no such attribute is shown'],
  ])('should refuse with a 400 naming the attribute on %s', async (_op, path, message) => {
    const res = await hub.client.get(path());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ '@type': 'Error', code: 'BadRequest', reason: 'Invalid query', message });
  });

  it.each([
    ['a stored extension attribute of a hub', () => `${API}/topic/${params.topicId}/hub?callback.regex=hub$`, 1],
    ['a nested attribute of a delivery attempt', () => `${API}/topic/${params.topicId}/hub/${params.hubIdOfTopic}/delivery?attempts.statusCode=201`, 1],
    ['a delivery status', () => `${API}/hub/${params.hubIdOfListener}/delivery?status=delivered`, 1],
    ['a notification attribute of an inbox entry', () => `${API}/inbox/probe?notification.secret=not-the-hub-secret`, 1],
    ['an event attribute', () => `${API}/topic/${params.topicId}/event?event.productOrder.id=PO-1`, 1],
  ])('should still filter on %s', async (_case, path, total) => {
    const res = await hub.client.get(path());
    expect(res.status).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBe(total);
  });
});
