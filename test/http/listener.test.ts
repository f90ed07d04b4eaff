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
    expect((await hub.client.get(`${API}/hub/${res.body.id}?fields=query`)).body).toEqual({
      id: res.body.id, href: res.body.href, '@type': 'EventSubscription', query: '',
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

  it('POST /listener/topicCreateEvent should answer 400 for a notification that breaks its schema', async () => {
    const res = await hub.client.post(`${API}/listener/topicCreateEvent`, { eventTime: 'not a time' });
    expect(res.status).toBe(400);
    expect((await hub.services.inbox.list('topicCreateEvent', { filter: [], offset: 0, limit: 10 })).total).toBe(0);
  });
});
