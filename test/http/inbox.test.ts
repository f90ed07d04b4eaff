import supertest from 'supertest';
import { assertMatchesContract, TEST_HOST } from '../helpers/contract-client';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('mock listener inboxes (/inbox/{name} and /listener/*)', () => {
  let hub: TestApp;
  const apps: TestApp[] = [];

  async function build(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
    const app = await buildTestApp(options);
    apps.push(app);
    return app;
  }

  /** What the inbox holds, read from the service rather than through the API. */
  const stored = async (name: string, app = hub) => app.services.inbox.list(name, { filter: [], offset: 0, limit: 1000 });

  async function receive(name: string, body: unknown, headers?: Record<string, string>, app = hub) {
    const res = await app.client.post(`${API}/inbox/${name}`, body, headers);
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeEach(async () => {
    hub = await build();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });

  describe('POST /inbox/{name}', () => {
    it('should answer 201 with an InboxEntry holding the body as sent and only the delivery headers', async () => {
      const notification = { eventId: 'e-1', eventType: 'ProductOrderCreateEvent', event: { productOrder: { id: 'PO-1', items: [1, 2] } } };
      const before = Date.now();
      const res = await hub.client.post(`${API}/inbox/orders-1`, notification, {
        'User-Agent': 'tmf688-hub',
        'webhook-id': 'msg_1',
        'webhook-timestamp': '1700000000',
        'webhook-attempt': '2',
        'webhook-signature': 'v1,abc=',
        Authorization: 'Bearer secret-token',
        'X-Other': 'not kept',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'orders-1',
        receivedAt: expect.any(String),
        notification,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tmf688-hub',
          'webhook-id': 'msg_1',
          'webhook-timestamp': '1700000000',
          'webhook-attempt': '2',
          'webhook-signature': 'v1,abc=',
        },
        '@type': 'InboxEntry',
      });
      expect(res.body.headers).not.toHaveProperty('authorization');
      expect(res.body.headers).not.toHaveProperty('x-other');
      const receivedAt = Date.parse(res.body.receivedAt);
      expect(receivedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(receivedAt).toBeLessThanOrEqual(Date.now() + 1000);

      const kept = await stored('orders-1');
      expect(kept.total).toBe(1);
      expect(kept.items[0]).toMatchObject({ id: res.body.id, notification, headers: res.body.headers });
    });

    it.each([
      ['an array', [1, 'two', { three: 3 }]],
      ['a string', 'just text'],
      ['a number', 42],
      ['a boolean', true],
      ['a null', null],
      ['an empty object', {}],
    ])('should keep %s body as sent', async (_case, body) => {
      const entry = await receive('anything', JSON.stringify(body));
      expect(entry.notification).toEqual(body);
      expect((await stored('anything')).items.map((e) => e.notification)).toEqual([body]);
    });

    it.each([
      ['65 characters', 'a'.repeat(65)],
      ['an encoded space', 'a%20b'],
      ['a dollar sign', 'a$b'],
      ['a colon', 'a:b'],
    ])('should answer 400 for a name with %s and record nothing', async (_case, name) => {
      const res = await hub.client.post(`${API}/inbox/${name}`, { eventId: 'e-1' });
      expect(res.status).toBe(400);
      expect(res.body['@type']).toBe('Error');
      for (const scope of [name, decodeURIComponent(name)]) expect((await stored(scope)).total).toBe(0);
      expect((await hub.client.get(`${API}/inbox/${name}`)).status).toBe(400);
      expect((await hub.client.delete(`${API}/inbox/${name}`)).status).toBe(400);
    });

    it('should accept a name of exactly 64 letters, digits, dots, dashes and underscores', async () => {
      const name = `A.b-c_9${'x'.repeat(57)}`;
      expect(name).toHaveLength(64);
      const entry = await receive(name, { eventId: 'e-64' });
      expect(entry.name).toBe(name);
      expect((await stored(name)).total).toBe(1);
    });

    it('should answer 415 for a text/plain body and record nothing', async () => {
      const res = await hub.client.post(`${API}/inbox/plain`, '{"eventId":"e-1"}', { 'Content-Type': 'text/plain' });
      expect(res.status).toBe(415);
      expect(res.body.status).toBe('415');
      expect((await stored('plain')).total).toBe(0);
    });

    it('should answer 400 for a body that is not valid JSON and record nothing', async () => {
      const res = await hub.client.post(`${API}/inbox/broken`, '{"eventId": "e-1",');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/JSON/);
      expect((await stored('broken')).total).toBe(0);
    });

    it('should answer 400 for an empty body and record nothing', async () => {
      const res = await hub.client.post(`${API}/inbox/empty`, '');
      expect(res.status).toBe(400);
      expect((await stored('empty')).total).toBe(0);
    });
  });

  describe('GET /inbox/{name}', () => {
    it('should list entries oldest first with X-Total-Count and X-Result-Count', async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) ids.push((await receive('list', { eventId: `e-${i}` })).id);
      const res = await hub.client.get(`${API}/inbox/list`);
      expect(res.status).toBe(200);
      expect(res.body.map((e: { id: string }) => e.id)).toEqual(ids);
      expect(res.body.map((e: any) => e.notification.eventId)).toEqual(['e-1', 'e-2', 'e-3']);
      expect(res.body.every((e: any) => e.name === 'list' && e['@type'] === 'InboxEntry')).toBe(true);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.headers['x-result-count']).toBe('3');
    });

    it('should page with offset and limit', async () => {
      for (let i = 1; i <= 5; i++) await receive('paged', { eventId: `e-${i}` });
      const page = await hub.client.get(`${API}/inbox/paged?offset=1&limit=2`);
      expect(page.status).toBe(200);
      expect(page.body.map((e: any) => e.notification.eventId)).toEqual(['e-2', 'e-3']);
      expect(page.headers['x-total-count']).toBe('5');
      expect(page.headers['x-result-count']).toBe('2');
      const last = await hub.client.get(`${API}/inbox/paged?offset=4&limit=10`);
      expect(last.body.map((e: any) => e.notification.eventId)).toEqual(['e-5']);
      expect(last.headers['x-result-count']).toBe('1');
      const past = await hub.client.get(`${API}/inbox/paged?offset=9`);
      expect(past.body).toEqual([]);
      expect(past.headers['x-total-count']).toBe('5');
    });

    it('should filter on the entry with TMF630 attribute filters', async () => {
      await receive('filtered', { eventId: 'e-1', eventType: 'X', priority: 1 });
      await receive('filtered', { eventId: 'e-2', eventType: 'Y', priority: 5 });
      await receive('filtered', { eventId: 'e-3', eventType: 'X', priority: 9 });
      const xs = await hub.client.get(`${API}/inbox/filtered?notification.eventType=X`);
      expect(xs.status).toBe(200);
      expect(xs.body.map((e: any) => e.notification.eventId)).toEqual(['e-1', 'e-3']);
      expect(xs.headers['x-total-count']).toBe('2');
      const high = await hub.client.get(`${API}/inbox/filtered?notification.eventType=X&notification.priority.gt=4`);
      expect(high.body.map((e: any) => e.notification.eventId)).toEqual(['e-3']);
      const none = await hub.client.get(`${API}/inbox/filtered?notification.eventType=Z`);
      expect(none.body).toEqual([]);
      expect(none.headers['x-total-count']).toBe('0');
    });

    it('should list [] for an inbox that never received anything', async () => {
      const res = await hub.client.get(`${API}/inbox/never-used`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      expect(res.headers['x-result-count']).toBe('0');
    });

    it('should keep inboxes separate by name', async () => {
      await receive('alpha', { eventId: 'a-1' });
      await receive('beta', { eventId: 'b-1' });
      await receive('alpha', { eventId: 'a-2' });
      const alpha = await hub.client.get(`${API}/inbox/alpha`);
      const beta = await hub.client.get(`${API}/inbox/beta`);
      expect(alpha.body.map((e: any) => e.notification.eventId)).toEqual(['a-1', 'a-2']);
      expect(beta.body.map((e: any) => e.notification.eventId)).toEqual(['b-1']);
      expect(beta.body[0].name).toBe('beta');
      // Names are case-sensitive.
      expect((await hub.client.get(`${API}/inbox/Alpha`)).body).toEqual([]);
    });
  });

  describe('DELETE /inbox/{name}', () => {
    it('should answer 204 and empty only that inbox', async () => {
      await receive('keep', { eventId: 'k-1' });
      await receive('drop', { eventId: 'd-1' });
      await receive('drop', { eventId: 'd-2' });
      const res = await hub.client.delete(`${API}/inbox/drop`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const dropped = await hub.client.get(`${API}/inbox/drop`);
      expect(dropped.body).toEqual([]);
      expect(dropped.headers['x-total-count']).toBe('0');
      expect((await hub.client.get(`${API}/inbox/keep`)).body.map((e: any) => e.notification.eventId)).toEqual(['k-1']);
      // The inbox takes new entries afterwards.
      await receive('drop', { eventId: 'd-3' });
      expect((await hub.client.get(`${API}/inbox/drop`)).body.map((e: any) => e.notification.eventId)).toEqual(['d-3']);
    });

    it('should answer 204 for an inbox that holds nothing', async () => {
      expect((await hub.client.delete(`${API}/inbox/nothing-here`)).status).toBe(204);
    });
  });

  describe('/listener/* inboxes', () => {
    it.each([
      ['topicCreateEvent', 'TopicCreateEvent'],
      ['topicChangeEvent', 'TopicChangeEvent'],
      ['topicDeleteEvent', 'TopicDeleteEvent'],
    ])('POST /listener/%s should record into the inbox of that name, listed by GET on both paths', async (name, eventType) => {
      const first = { eventId: `${name}-1`, eventType, event: { topic: { id: 't-1', name: 'orders' } } };
      const second = { eventId: `${name}-2`, eventType, event: { topic: { id: 't-2', name: 'billing' } } };
      const a = await hub.client.post(`${API}/listener/${name}`, first, { 'webhook-id': 'msg_a', 'X-Other': 'dropped' });
      const b = await hub.client.post(`${API}/listener/${name}`, second);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(a.body).toMatchObject({ name, notification: first, '@type': 'InboxEntry' });
      expect(a.body.headers).toEqual({ 'content-type': 'application/json', 'webhook-id': 'msg_a' });

      const listed = await hub.client.get(`${API}/listener/${name}`);
      expect(listed.status).toBe(200);
      expect(listed.body.map((e: any) => e.id)).toEqual([a.body.id, b.body.id]);
      expect(listed.body.map((e: any) => e.notification)).toEqual([first, second]);
      expect(listed.headers['x-total-count']).toBe('2');
      const viaInbox = await hub.client.get(`${API}/inbox/${name}`);
      expect(viaInbox.body).toEqual(listed.body);

      const filtered = await hub.client.get(`${API}/listener/${name}?notification.event.topic.name=billing`);
      expect(filtered.body.map((e: any) => e.id)).toEqual([b.body.id]);
      const paged = await hub.client.get(`${API}/listener/${name}?offset=1&limit=1`);
      expect(paged.body.map((e: any) => e.id)).toEqual([b.body.id]);
      expect(paged.headers['x-total-count']).toBe('2');

      // Each listener path has its own inbox.
      for (const other of ['topicCreateEvent', 'topicChangeEvent', 'topicDeleteEvent'].filter((n) => n !== name)) {
        expect((await hub.client.get(`${API}/listener/${other}`)).body).toEqual([]);
      }
      // Emptying the inbox empties the listener's list.
      expect((await hub.client.delete(`${API}/inbox/${name}`)).status).toBe(204);
      expect((await hub.client.get(`${API}/listener/${name}`)).body).toEqual([]);
    });
  });

  describe('end to end: the hub delivering to its own inbox', () => {
    let served: Listening | undefined;

    afterEach(async () => {
      await served?.close();
      served = undefined;
    });

    it('should record a published event delivered to /inbox/mine with its webhook headers', async () => {
      const live = await build({ worker: {} });
      served = await listenOnLoopback(live.app);
      const { port } = served;

      const topic = await live.client.post(`${API}/topic`, { name: 'self-delivery' });
      expect(topic.status).toBe(201);
      const sub = await live.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `http://127.0.0.1:${port}${API}/inbox/mine` });
      expect(sub.status).toBe(201);
      const published = await live.client.post(`${API}/topic/${topic.body.id}/event`, {
        eventType: 'ProductOrderCreateEvent',
        event: { productOrder: { id: 'PO-9' } },
      });
      expect(published.status).toBe(201);

      const entries = await pollUntil(async () => {
        const res = await live.client.get(`${API}/inbox/mine`);
        return res.body.length > 0 ? (res.body as Array<Record<string, any>>) : undefined;
      }, 5000, 'the notification to arrive in /inbox/mine');
      expect(entries).toHaveLength(1);
      const [entry] = entries;
      expect(entry.name).toBe('mine');
      expect(entry.notification.eventId).toBe(published.body.eventId);
      expect(entry.notification.event).toEqual({ productOrder: { id: 'PO-9' } });
      expect(entry.headers['webhook-id']).toEqual(expect.any(String));
      expect(entry.headers['webhook-id'].length).toBeGreaterThan(0);
      expect(entry.headers['webhook-attempt']).toBe('1');
      expect(entry.headers['content-type']).toBe('application/json');
      expect(Number(entry.headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000);

      // The delivery log names the same message the inbox recorded.
      const log = await pollUntil(async () => {
        const res = await live.client.get(`${API}/topic/${topic.body.id}/hub/${sub.body.id}/delivery`);
        return res.body[0]?.status === 'delivered' ? res.body : undefined;
      }, 5000, 'the delivery to be recorded as delivered');
      expect(log[0].id).toBe(entry.headers['webhook-id']);
    });

    it('should record into the same inbox when HUB_LISTENER_SUFFIX appends /listener/{eventType}', async () => {
      const live = await build({ worker: {}, listenerSuffix: true });
      served = await listenOnLoopback(live.app);
      const { port } = served;
      const topic = await live.client.post(`${API}/topic`, { name: 'suffixed' });
      await live.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: `http://127.0.0.1:${port}${API}/inbox/suffixed` });
      const published = await live.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'ProductOrderCreateEvent' });
      const entries = await pollUntil(async () => {
        const res = await live.client.get(`${API}/inbox/suffixed`);
        return res.body.length > 0 ? (res.body as Array<Record<string, any>>) : undefined;
      }, 5000, 'the suffixed notification to arrive in /inbox/suffixed');
      expect(entries.map((e) => e.notification.eventId)).toEqual([published.body.eventId]);
      expect(entries[0].name).toBe('suffixed');
    });
  });

  describe('POST /inbox/{name}/listener/{eventType}', () => {
    it('should record into the inbox {name}', async () => {
      const res = await hub.client.post(`${API}/inbox/box/listener/alarmCreateEvent`, { eventId: 'a-1' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'box', notification: { eventId: 'a-1' } });
      expect((await hub.client.get(`${API}/inbox/box`)).body.map((e: any) => e.notification.eventId)).toEqual(['a-1']);
    });

    it('should answer 405 to GET (the inbox is listed at /inbox/{name})', async () => {
      const res = await hub.client.get(`${API}/inbox/box/listener/alarmCreateEvent`);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
    });
  });

  describe('with API keys on', () => {
    const KEY = 'key-1234567890abcdef';
    let keyed: TestApp;

    beforeEach(async () => {
      keyed = await build({ config: { apiKeys: [KEY] } });
    });

    it.each([
      ['GET', 'inbox/secured'],
      ['POST', 'inbox/secured'],
      ['DELETE', 'inbox/secured'],
      ['GET', 'listener/topicCreateEvent'],
      ['POST', 'listener/topicCreateEvent'],
    ])('%s /%s should answer 401 without a key or with a wrong one, and record nothing', async (method, path) => {
      const url = `${API}/${path}`;
      const body = { eventId: 'e-1', eventType: 'TopicCreateEvent', event: { topic: { id: 't-1' } } };
      for (const headers of [{}, { Authorization: 'Bearer key-wrong-wrong-wrong' }, { Authorization: KEY }]) {
        let req = supertest(keyed.app.callback())[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](url).set({ Host: TEST_HOST, ...headers });
        if (method === 'POST') req = req.send(body);
        const res = await req;
        expect(res.status).toBe(401);
        assertMatchesContract(keyed, method.toLowerCase() as 'get' | 'post' | 'delete', url, res);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect((await stored(path.startsWith('inbox/') ? 'secured' : 'topicCreateEvent', keyed)).total).toBe(0);
    });

    it('should record and list with Authorization: Bearer <key>', async () => {
      const auth = { Authorization: `Bearer ${KEY}` };
      const posted = await keyed.client.post(`${API}/inbox/secured`, { eventId: 'e-1' }, auth);
      expect(posted.status).toBe(201);
      expect(posted.body.headers).not.toHaveProperty('authorization');
      const listed = await keyed.client.get(`${API}/inbox/secured`, auth);
      expect(listed.status).toBe(200);
      expect(listed.body.map((e: any) => e.id)).toEqual([posted.body.id]);
    });
  });

  describe('size limit (HUB_INBOX_LIMIT)', () => {
    it('should keep the newest entries of an inbox and drop the oldest, other inboxes untouched', async () => {
      const small = await buildTestApp({ inboxLimit: 3 });
      for (let n = 1; n <= 5; n++) expect((await small.client.post(`${API}/inbox/capped`, { n })).status).toBe(201);
      expect((await small.client.post(`${API}/inbox/other`, { n: 0 })).status).toBe(201);
      const listed = await small.client.get(`${API}/inbox/capped`);
      expect(listed.body.map((e: any) => e.notification.n)).toEqual([3, 4, 5]);
      expect(listed.headers['x-total-count']).toBe('3');
      expect((await small.client.get(`${API}/inbox/other`)).body.map((e: any) => e.notification.n)).toEqual([0]);
    });
  });
});
