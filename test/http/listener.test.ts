import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('listener registration (/hub) and client-side listener endpoints', () => {
  let hub: TestApp;
  beforeEach(async () => {
    hub = await buildTestApp();
  });

  it('registerListener should answer 201 with id, callback, href, @type EventSubscription; get and unregister it', async () => {
    const res = await hub.client.post(`${API}/hub`, { callback: 'http://client.example/listener', query: '' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      href: `http://hub.test${API}/hub/${res.body.id}`,
      callback: 'http://client.example/listener',
      query: '',
      '@type': 'EventSubscription',
    });
    expect(res.headers.location).toBe(res.body.href);
    expect((await hub.client.get(`${API}/hub/${res.body.id}`)).body).toEqual(res.body);
    // fields= keeps what EventSubscription requires (callback) besides id, href and @type.
    expect((await hub.client.get(`${API}/hub/${res.body.id}?fields=query`)).body).toEqual({
      id: res.body.id, href: res.body.href, '@type': 'EventSubscription', query: '', callback: 'http://client.example/listener',
    });
    expect((await hub.client.delete(`${API}/hub/${res.body.id}`)).status).toBe(204);
    expect((await hub.client.get(`${API}/hub/${res.body.id}`)).status).toBe(404);
    expect((await hub.client.delete(`${API}/hub/${res.body.id}`)).status).toBe(404);
  });

  it.each([
    ['no callback', {}, 'callback is required'],
    ['a bad query', { callback: 'http://c/x', query: 'a.regex=(' }, 'query: The regular expression'],
  ])('registerListener should answer 400 for %s', async (_case, body, message) => {
    const res = await hub.client.post(`${API}/hub`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it('GET /hub should be 405 with Allow: POST (the path has no list)', async () => {
    const res = await hub.client.get(`${API}/hub`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it.each(['topicCreateEvent', 'topicChangeEvent', 'topicDeleteEvent'])(
    'POST /listener/%s should answer 201 and keep the notification',
    async (name) => {
      const notification = {
        eventId: 'e-1',
        eventType: name.charAt(0).toUpperCase() + name.slice(1),
        event: { topic: { id: 't-1', name: 'orders' } },
      };
      const res = await hub.client.post(`${API}/listener/${name}`, notification);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name, notification, '@type': 'InboxEntry' });
      const kept = await hub.services.inbox.list(name, { filter: [], offset: 0, limit: 10 });
      expect(kept.items.map((e) => e.notification)).toEqual([notification]);
    },
  );

  it.each(['topicCreateEvent', 'topicChangeEvent', 'topicDeleteEvent'])(
    'POST /listener/%s?foo=1 should answer 400 (no query parameters) and keep nothing',
    async (name) => {
      const res = await hub.client.post(`${API}/listener/${name}?foo=1`, { eventId: 'e-1', eventType: 'TopicCreateEvent' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BadRequest', status: '400', '@type': 'Error' });
      expect(res.body.message).toContain('foo');
      expect((await hub.services.inbox.list(name, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
    },
  );

  it('GET /listener/topicCreateEvent?fields= should keep what InboxEntry requires', async () => {
    await hub.client.post(`${API}/listener/topicCreateEvent`, { eventId: 'e-1' });
    const res = await hub.client.get(`${API}/listener/topicCreateEvent?fields=headers`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body[0]).sort()).toEqual(['@type', 'headers', 'id', 'name', 'notification', 'receivedAt']);
  });

  it('POST /listener/topicCreateEvent should answer 400 for a notification that breaks its schema', async () => {
    const res = await hub.client.post(`${API}/listener/topicCreateEvent`, { eventTime: 'not a time' });
    expect(res.status).toBe(400);
    expect((await hub.services.inbox.list('topicCreateEvent', { filter: [], offset: 0, limit: 10 })).total).toBe(0);
  });
});
