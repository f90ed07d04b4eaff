import request from 'supertest';
import { sourcedEventRefusal } from '../../src/http/sourced-event-refusal';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('sourcedEventRefusal: events read from a topic source meet the contract of POST .../event', () => {
  let hub: TestApp;
  let topicId: string;
  beforeAll(async () => {
    hub = await buildTestApp();
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });
  afterAll(() => hub.stop());

  it.each<[string, Record<string, unknown>]>([
    ['an eventType that is not a string', { eventType: 3 }],
    ['an eventTime that is not a date-time', { eventType: 'E', eventTime: 'yesterday' }],
    ['a correlationId that is an object', { eventType: 'E', correlationId: { a: 1 } }],
  ])('should refuse %s with the very message the HTTP API answers', async (_case, body) => {
    const refused = sourcedEventRefusal(hub.api, topicId, body);
    const http = await request(hub.app.callback()).post(`${API}/topic/${topicId}/event`).send(body);
    expect(http.status).toBe(400);
    expect(refused).toBe(http.body.message);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a minimal event', { eventType: 'E' }],
    ['an event with a payload', { eventType: 'OrderCreate', event: { order: { id: 'o1' } } }],
  ])('should pass %s', (_case, body) => {
    expect(sourcedEventRefusal(hub.api, topicId, body)).toBeUndefined();
  });
});
