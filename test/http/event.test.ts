import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('event operations', () => {
  let hub: TestApp;
  let topicId: string;
  beforeEach(async () => {
    hub = await buildTestApp();
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });

  describe('createEvent', () => {
    it('should answer 201 with id, href, Location, @type, and fill eventId and eventTime when absent', async () => {
      const res = await hub.client.post(`${API}/topic/${topicId}/event`, {
        eventType: 'ProductOrderCreateEvent',
        event: { productOrder: { id: 'po-1', state: 'acknowledged' } },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        href: `http://hub.test${API}/topic/${topicId}/event/${res.body.id}`,
        eventType: 'ProductOrderCreateEvent',
        '@type': 'Event',
        event: { productOrder: { id: 'po-1', state: 'acknowledged' } },
      });
      expect(res.headers.location).toBe(res.body.href);
      expect(res.body.eventId).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(res.body.eventTime))).toBe(false);
    });

    it('should keep a given eventId and eventTime, and both timeOcurred spellings as sent', async () => {
      const body = {
        eventId: 'evt-1',
        eventTime: '2024-05-01T10:00:00Z',
        timeOcurred: '2024-05-01T09:59:00Z',
        timeOccurred: '2024-05-01T09:59:01Z',
        correlationId: 'c-1',
        domain: 'commercial',
        priority: '2',
        relatedParty: [{ id: 'p1', '@referredType': 'Individual', role: 'buyer' }],
      };
      const res = await hub.client.post(`${API}/topic/${topicId}/event`, body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject(body);
      const got = await hub.client.get(`${API}/topic/${topicId}/event/${res.body.id}`);
      expect(got.body).toEqual(res.body);
    });

    it('should answer 409 for a duplicate eventId in the same topic, and accept it in another topic', async () => {
      expect((await hub.client.post(`${API}/topic/${topicId}/event`, { eventId: 'dup' })).status).toBe(201);
      const again = await hub.client.post(`${API}/topic/${topicId}/event`, { eventId: 'dup' });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('dup');
      const list = await hub.client.get(`${API}/topic/${topicId}/event`);
      expect(list.body).toHaveLength(1);
      const other = (await hub.client.post(`${API}/topic`, { name: 'other' })).body.id;
      expect((await hub.client.post(`${API}/topic/${other}/event`, { eventId: 'dup' })).status).toBe(201);
    });

    it('should answer 404 for an unknown topic', async () => {
      const res = await hub.client.post(`${API}/topic/nope/event`, { eventType: 'X' });
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('nope');
    });

    it.each([
      ['a bad eventTime', { eventTime: 'yesterday' }, 'eventTime must match format "date-time"'],
      ['a relatedParty without @referredType', { relatedParty: [{ id: 'p1' }] }, "relatedParty.0.@referredType is required"],
      ['a non-string eventType', { eventType: 7 }, 'eventType must be string'],
    ])('should answer 400 for %s and store nothing', async (_case, body, message) => {
      const res = await hub.client.post(`${API}/topic/${topicId}/event`, body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      expect((await hub.client.get(`${API}/topic/${topicId}/event`)).body).toEqual([]);
    });
  });

  describe('listEvent', () => {
    beforeEach(async () => {
      const events = [
        { eventType: 'ProductOrderCreateEvent', priority: '1', event: { productOrder: { state: 'acknowledged' } } },
        { eventType: 'ProductOrderStateChangeEvent', priority: '3', event: { productOrder: { state: 'completed' } } },
        { eventType: 'ProductOrderDeleteEvent', priority: '5', event: { productOrder: { state: 'cancelled' } } },
      ];
      for (const e of events) await hub.client.post(`${API}/topic/${topicId}/event`, e);
    });

    it.each([
      ['', 3],
      ['eventType=ProductOrderCreateEvent,ProductOrderDeleteEvent', 2],
      ['event.productOrder.state=completed', 1],
      ['priority.gte=3', 2],
      ['eventType.regex=Change', 1],
      ['limit=2', 2],
    ])('should list with %s', async (query, count) => {
      const res = await hub.client.get(`${API}/topic/${topicId}/event?${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(count);
    });

    it('should project with fields=', async () => {
      const res = await hub.client.get(`${API}/topic/${topicId}/event?fields=eventType&limit=1`);
      expect(Object.keys(res.body[0]).sort()).toEqual(['@type', 'eventType', 'href', 'id']);
    });

    it('should answer 404 for an unknown topic', async () => {
      expect((await hub.client.get(`${API}/topic/nope/event`)).status).toBe(404);
    });
  });

  describe('retrieveEvent', () => {
    it('should answer 404 for an unknown event, and for a known event under another topic', async () => {
      const event = (await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X' })).body;
      const other = (await hub.client.post(`${API}/topic`, { name: 'other' })).body.id;
      expect((await hub.client.get(`${API}/topic/${topicId}/event/nope`)).status).toBe(404);
      expect((await hub.client.get(`${API}/topic/${other}/event/${event.id}`)).status).toBe(404);
      expect((await hub.client.get(`${API}/topic/nope/event/${event.id}`)).status).toBe(404);
    });

    it('should honour fields=', async () => {
      const event = (await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', domain: 'd' })).body;
      const res = await hub.client.get(`${API}/topic/${topicId}/event/${event.id}?fields=domain`);
      expect(res.body).toEqual({ id: event.id, href: event.href, '@type': 'Event', domain: 'd' });
    });

    it('should keep what a nested object requires when fields= walks into it (EntityRef id, RelatedParty id and @referredType)', async () => {
      const event = (await hub.client.post(`${API}/topic/${topicId}/event`, {
        eventType: 'X',
        source: { id: 's-1', name: 'crm', href: 'http://crm/1' },
        relatedParty: [{ id: 'p-1', '@referredType': 'Individual', name: 'Ann', role: 'owner' }],
      })).body;
      // The contract client validates the answer: without the nested required attributes it fails.
      const res = await hub.client.get(`${API}/topic/${topicId}/event/${event.id}?fields=source.name,relatedParty.name`);
      expect(res.body).toEqual({
        id: event.id, href: event.href, '@type': 'Event',
        source: { id: 's-1', name: 'crm' },
        relatedParty: [{ id: 'p-1', '@referredType': 'Individual', name: 'Ann' }],
      });
    });
  });
});
