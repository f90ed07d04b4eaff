import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('hub operations (per topic)', () => {
  let hub: TestApp;
  let topicId: string;
  beforeEach(async () => {
    hub = await buildTestApp();
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });

  it('createHub should answer 201 with Location, href and @type Hub, keeping callback and query', async () => {
    const res = await hub.client.post(`${API}/topic/${topicId}/hub`, {
      callback: 'http://listener.example/api/listener',
      query: 'eventType=ProductOrderCreateEvent',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      href: `http://hub.test${API}/topic/${topicId}/hub/${res.body.id}`,
      callback: 'http://listener.example/api/listener',
      query: 'eventType=ProductOrderCreateEvent',
      '@type': 'Hub',
    });
    expect(res.headers.location).toBe(res.body.href);
  });

  it.each([
    ['no callback', { query: 'a=b' }, 'callback is required'],
    ['a non-string callback', { callback: 42 }, 'callback must be string'],
    ['a query with a bad regex', { callback: 'http://l/x', query: 'eventType.regex=[' }, 'query: The regular expression'],
    ['a query with a $ attribute', { callback: 'http://l/x', query: '$where=1' }, 'query: "$where" is not a valid attribute filter'],
  ])('createHub should answer 400 for %s and store nothing', async (_case, body, message) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/hub`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub`)).body).toEqual([]);
  });

  it('createHub should answer 404 for an unknown topic', async () => {
    const res = await hub.client.post(`${API}/topic/nope/hub`, { callback: 'http://l/x' });
    expect(res.status).toBe(404);
  });

  it('listHub, retrieveHub and deleteHub should work and answer 404 for unknown ids', async () => {
    const a = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://a/x' })).body;
    const b = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://b/x' })).body;
    const list = await hub.client.get(`${API}/topic/${topicId}/hub`);
    expect(list.body.map((h: { id: string }) => h.id)).toEqual([a.id, b.id]);
    const filtered = await hub.client.get(`${API}/topic/${topicId}/hub?callback=http://b/x`);
    expect(filtered.body).toEqual([b]);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${a.id}`)).body).toEqual(a);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${a.id}?fields=callback`)).body).toEqual({
      id: a.id, href: a.href, '@type': 'Hub', callback: 'http://a/x',
    });
    // Hub requires callback: fields= never drops it, on one hub and in lists.
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${a.id}?fields=query`)).body).toEqual({
      id: a.id, href: a.href, '@type': 'Hub', callback: 'http://a/x', query: a.query,
    });
    expect((await hub.client.get(`${API}/topic/${topicId}/hub?fields=id`)).body).toEqual([
      { id: a.id, href: a.href, '@type': 'Hub', callback: 'http://a/x' },
      { id: b.id, href: b.href, '@type': 'Hub', callback: 'http://b/x' },
    ]);
    expect((await hub.client.delete(`${API}/topic/${topicId}/hub/${a.id}`)).status).toBe(204);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub/${a.id}`)).status).toBe(404);
    expect((await hub.client.delete(`${API}/topic/${topicId}/hub/${a.id}`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/nope/hub`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/nope/hub/${b.id}`)).status).toBe(404);
    expect((await hub.client.delete(`${API}/topic/nope/hub/${b.id}`)).status).toBe(404);
    expect((await hub.client.get(`${API}/topic/${topicId}/hub`)).body).toEqual([b]);
  });
});
