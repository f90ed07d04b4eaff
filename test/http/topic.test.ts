import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('topic operations', () => {
  let hub: TestApp;
  beforeEach(async () => {
    hub = await buildTestApp();
  });

  describe('createTopic', () => {
    it('should answer 201 with Location, an absolute href, a server id and the default @type', async () => {
      const res = await hub.client.post(`${API}/topic`, { name: 'orders', headerQuery: 'eventType=A' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'orders', headerQuery: 'eventType=A', '@type': 'Topic' });
      expect(res.body.id).toEqual(expect.any(String));
      expect(res.body.href).toBe(`http://hub.test${API}/topic/${res.body.id}`);
      expect(res.headers.location).toBe(res.body.href);
    });

    it('should keep @type, @baseType, @schemaLocation and extension attributes as sent, and ignore a client id', async () => {
      const body = {
        id: 'client-chosen',
        href: 'http://elsewhere/x',
        name: 'alarms',
        '@type': 'AlarmTopic',
        '@baseType': 'Topic',
        '@schemaLocation': 'https://example.com/schema.json',
        vendorExtension: { level: 3, tags: ['a'] },
      };
      const res = await hub.client.post(`${API}/topic`, body);
      expect(res.status).toBe(201);
      expect(res.body.id).not.toBe('client-chosen');
      expect(res.body.href).not.toBe('http://elsewhere/x');
      expect(res.body).toMatchObject({
        '@type': 'AlarmTopic',
        '@baseType': 'Topic',
        '@schemaLocation': 'https://example.com/schema.json',
        vendorExtension: { level: 3, tags: ['a'] },
      });
      const got = await hub.client.get(`${API}/topic/${res.body.id}`);
      expect(got.body).toEqual(res.body);
    });

    it.each([
      ['a wrong attribute type', { name: 5 }, 'name must be string'],
      ['a bad @schemaLocation', { '@schemaLocation': 'not a uri' }, '@schemaLocation must match format "uri"'],
      ['an array instead of an object', [], 'the body must be object'],
      ['an invalid headerQuery', { headerQuery: 'a.regex=(' }, 'headerQuery'],
      ['an invalid contentQuery', { contentQuery: '$where=1' }, 'contentQuery'],
    ])('should answer 400 naming the problem for %s, and store nothing', async (_case, body, message) => {
      const res = await hub.client.post(`${API}/topic`, body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      const list = await hub.client.get(`${API}/topic`);
      expect(list.body).toEqual([]);
    });

    it('should answer 400 for a missing body', async () => {
      const res = await hub.client.post(`${API}/topic`);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('a JSON body is required');
    });
  });

  describe('retrieveTopic', () => {
    it('should answer 200 with the topic, and only the asked fields plus id, href, @type with fields=', async () => {
      const created = (await hub.client.post(`${API}/topic`, { name: 'orders', headerQuery: 'domain=x' })).body;
      const full = await hub.client.get(`${API}/topic/${created.id}`);
      expect(full.status).toBe(200);
      expect(full.body).toEqual(created);
      const some = await hub.client.get(`${API}/topic/${created.id}?fields=name`);
      expect(some.body).toEqual({ id: created.id, href: created.href, '@type': 'Topic', name: 'orders' });
    });

    it('should answer 404 for an unknown id', async () => {
      const res = await hub.client.get(`${API}/topic/unknown`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'NotFound', status: '404', '@type': 'Error' });
      expect(res.body.message).toContain('unknown');
    });

    it('should answer 400 for a query parameter the operation does not have', async () => {
      const created = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body;
      const res = await hub.client.get(`${API}/topic/${created.id}?name=orders`);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('query parameter name is not allowed here');
    });
  });

  describe('listTopic', () => {
    beforeEach(async () => {
      for (const [name, priority] of [['orders', 1], ['alarms', 5], ['inventory', 9]] as const) {
        await hub.client.post(`${API}/topic`, { name, priority, meta: { owner: name === 'alarms' ? 'noc' : 'bss' } });
      }
    });

    it('should list all with X-Total-Count and X-Result-Count', async () => {
      const res = await hub.client.get(`${API}/topic`);
      expect(res.status).toBe(200);
      expect(res.body.map((t: { name: string }) => t.name)).toEqual(['orders', 'alarms', 'inventory']);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.headers['x-result-count']).toBe('3');
    });

    it.each([
      ['name=alarms', ['alarms']],
      ['name=alarms,orders', ['orders', 'alarms']],
      ['name=alarms&name=inventory', ['alarms', 'inventory']],
      ['priority.gt=1', ['alarms', 'inventory']],
      ['priority>=5', ['alarms', 'inventory']],
      ['priority<5', ['orders']],
      ['priority.lte=5', ['orders', 'alarms']],
      ['name.ne=orders', ['alarms', 'inventory']],
      ['name.regex=^in', ['inventory']],
      ['meta.owner=noc', ['alarms']],
      ['name=nothing', []],
    ])('should filter with %s', async (query, names) => {
      const res = await hub.client.get(`${API}/topic?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.map((t: { name: string }) => t.name)).toEqual(names);
      expect(res.headers['x-total-count']).toBe(String(names.length));
    });

    it('should page with offset and limit, counting the total before paging', async () => {
      const res = await hub.client.get(`${API}/topic?offset=1&limit=1`);
      expect(res.body.map((t: { name: string }) => t.name)).toEqual(['alarms']);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.headers['x-result-count']).toBe('1');
      const past = await hub.client.get(`${API}/topic?offset=10`);
      expect(past.body).toEqual([]);
      expect(past.headers['x-total-count']).toBe('3');
    });

    it('should apply filters, paging and fields= together', async () => {
      const res = await hub.client.get(`${API}/topic?priority.gte=5&limit=1&fields=name`);
      expect(res.body).toEqual([{ id: expect.any(String), href: expect.any(String), '@type': 'Topic', name: 'alarms' }]);
      expect(res.headers['x-total-count']).toBe('2');
    });

    it.each([
      ['offset=-1', 'query parameter offset must be >= 0'],
      ['limit=abc', 'query parameter limit must be integer'],
      ['limit=1001', 'query parameter limit must be <= 1000'],
      ['offset=1&offset=2', 'query parameter offset must be integer'],
      ['name.regex=(', 'regular expression'],
      ['$where=1', 'not a valid attribute filter'],
      ['fields=$where', 'fields: "$where" is not a valid attribute name'],
      ['fields=a..b', 'fields: "a..b" is not a valid attribute name'],
    ])('should answer 400 for %s', async (query, message) => {
      const res = await hub.client.get(`${API}/topic?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
    });
  });

  describe('deleteTopic', () => {
    it('should answer 204, then 404, and remove the topic with its hubs and events', async () => {
      const topic = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body;
      const hubRes = await hub.client.post(`${API}/topic/${topic.id}/hub`, { callback: 'http://listener.example/cb' });
      await hub.client.post(`${API}/topic/${topic.id}/event`, { eventType: 'X' });
      const del = await hub.client.delete(`${API}/topic/${topic.id}`);
      expect(del.status).toBe(204);
      expect((await hub.client.get(`${API}/topic/${topic.id}`)).status).toBe(404);
      expect((await hub.client.delete(`${API}/topic/${topic.id}`)).status).toBe(404);
      expect((await hub.client.get(`${API}/topic/${topic.id}/event`)).status).toBe(404);
      expect(await hub.stores.hubs.get(topic.id, hubRes.body.id)).toBeUndefined();
      expect((await hub.stores.events.list(topic.id, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
    });
  });
});
