import type { Response } from 'supertest';
import { MAX_DOCUMENT_BYTES } from '../../src/store/mongo/document-refusal';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { STORE_KIND } from '../helpers/test-stores';

/**
 * Documents the embedded store keeps but MongoDB cannot: every store must answer them with a 201 or
 * a 400 naming the attribute, never a 500, and a refused event must leave nothing behind.
 */
const onMongo = STORE_KIND === 'mongodb';

/** Over MongoDB's 16 MiB, under this app's body limit. */
const OVERSIZED = 'x'.repeat(MAX_DOCUMENT_BYTES + 512 * 1024);

/** Shapes that no MongoDB server stores: refused on MongoDB (a 400), kept by the embedded store. */
const REFUSED: ReadonlyArray<[string, Record<string, unknown>, string | undefined, string]> = [
  ['a field name with a NUL character', { event: { order: { 'bad\u0000key': 1 } } }, 'event.order."bad\\u0000key"', 'its name contains a NUL character'],
  ['a document over 16 MiB', { event: { text: OVERSIZED } }, undefined, 'larger than the 16 MiB'],
];

/**
 * Shapes MongoDB 5+ stores as sent (and the test server with it); servers that refuse them (MongoDB
 * before 5.0, FerretDB 1.x) answer 400 by the same mapping, covered by test/unit/document-refusal.
 */
const STORED: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['a field name containing "."', { event: { 'order.id': 'PO-1' } }],
  ['a field name starting with "$"', { event: { $ref: 'x', $price: 3 } }],
  ['an empty field name', { event: { '': 'empty' } }],
  ['nested arrays', { event: { matrix: [[1, 2], [3, [4]]] } }],
];

function expectRefusal(res: Response, path: string | undefined, why: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ code: 'BadRequest', reason: 'Document cannot be stored', status: '400', '@type': 'Error' });
  if (path) expect(res.body.message).toContain(`the attribute ${path}:`);
  expect(res.body.message).toContain(why);
  // The driver's and the server's words stay in the log.
  expect(res.body.message).not.toMatch(/BSON|Mongo|null bytes|body\./);
}

describe(`documents the database refuses (${STORE_KIND} store)`, () => {
  let hub: TestApp;
  let topicId: string;
  let hubId: string;

  beforeAll(async () => {
    hub = await buildTestApp({ config: { maxBodyBytes: 2 * MAX_DOCUMENT_BYTES } });
    topicId = (await hub.client.post(`${API}/topic`, { name: 'refusals' })).body.id;
    hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://listener.test/cb' })).body.id;
  });

  afterAll(async () => {
    await hub?.stop();
  });

  const deliveriesOfHub = async () => (await hub.stores.deliveries.list(hubId, { filter: [], offset: 0, limit: 1000 })).total;
  const storedEventId = (eventId: string) => hub.stores.events.findIdByUnique(topicId, eventId);

  it.each(REFUSED)(`should answer a published event with %s with ${onMongo ? '400 naming the path if any, writing nothing' : '201'}`, async (_, shape, path, why) => {
    const deliveriesBefore = await deliveriesOfHub();
    const eventId = `refused-${Math.random()}`;
    const res = await hub.client.post(`${API}/topic/${topicId}/event`, { eventId, eventType: 'OddShape', ...shape });
    if (onMongo) {
      expectRefusal(res, path, why);
      expect(await storedEventId(eventId)).toBeUndefined();
      expect(await deliveriesOfHub()).toBe(deliveriesBefore);
    } else {
      expect(res.status).toBe(201);
      expect(await storedEventId(eventId)).toBe(res.body.id);
      expect(await deliveriesOfHub()).toBe(deliveriesBefore + 1);
    }
  });

  it.each(STORED)('should store an event with %s as sent', async (_, shape) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'OddShape', ...shape });
    expect(res.status).toBe(201);
    const read = await hub.client.get(`${API}/topic/${topicId}/event/${res.body.id}`);
    expect(read.body.event).toEqual(shape.event);
  });

  // Every other write path goes through the same store code; one refused shape each.
  const NUL = { 'bad\u0000key': true };
  const NUL_PATH = '"bad\\u0000key"';
  it.each([
    ['POST /topic', () => `${API}/topic`, { name: 't', ...NUL }, NUL_PATH],
    ['POST /topic/{id}/hub', () => `${API}/topic/${topicId}/hub`, { callback: 'http://listener.test/cb', ...NUL }, NUL_PATH],
    ['POST /hub', () => `${API}/hub`, { callback: 'http://listener.test/cb', ...NUL }, NUL_PATH],
    // An inbox entry keeps what arrived under `notification`.
    ['POST /inbox/{name}', () => `${API}/inbox/refusals`, { eventType: 'X', ...NUL }, `notification.${NUL_PATH}`],
  ])(`should answer %s with a field name holding a NUL with ${onMongo ? '400' : '201'}`, async (_, url, body, path) => {
    const res = await hub.client.post(url(), body);
    if (onMongo) expectRefusal(res, path, 'its name contains a NUL character');
    else expect(res.status).toBe(201);
  });
});
