import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { PROJECT_ROOT } from '../../src/paths';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver, type ReceivedRequest } from '../helpers/test-receiver';
import { messageSchemas, type MessagePart } from '../helpers/asyncapi-schemas';

type Json = Record<string, any>;
type Part = MessagePart;

const doc: Json = JSON.parse(readFileSync(join(PROJECT_ROOT, 'asyncapi', 'tmf688-hub.asyncapi.json'), 'utf8'));
const SECRET = `whsec_${Buffer.from('asyncapi-deliveries-test-key-0123').toString('base64')}`;
const PLAIN_SECRET = 'a-plain-secret-of-some-length';

const schemaOf = messageSchemas(doc);

/** The validation outcome, with the errors, so a failure says what did not match. */
function check(message: string, part: Part, value: unknown) {
  const validate = schemaOf(message, part);
  const valid = validate(value);
  return { message, part, valid, errors: validate.errors ?? null };
}

/** Both the body and the headers of a captured request match the message. */
function expectMessage(message: string, req: ReceivedRequest): void {
  expect(check(message, 'payload', req.json)).toEqual({ message, part: 'payload', valid: true, errors: null });
  expect(check(message, 'headers', req.headers)).toEqual({ message, part: 'headers', valid: true, errors: null });
}

/**
 * The signature check exactly as the document's webhookSignature scheme describes it, written without the hub's
 * code: HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}", key = base64 part of whsec_..., else UTF-8.
 */
function verifiesAsDocumented(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((candidate) => {
      const [version, signature] = candidate.split(',');
      const sent = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && sent.length === expected.length && timingSafeEqual(sent, expected);
    });
}

/** The three headers standardwebhooks reads, as plain strings. */
const signatureHeaders = (req: ReceivedRequest) =>
  Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h])]));

describe('deliveries match the AsyncAPI document (app + worker + a real listener)', () => {
  let receiver: TestReceiver;
  const apps: TestApp[] = [];

  async function start(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
    const app = await buildTestApp({ worker: {}, ...options });
    apps.push(app);
    return app;
  }

  async function post(app: TestApp, path: string, body: Json): Promise<Json> {
    const res = await app.client.post(`${API}${path}`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  const arrivals = (path: string, count: number) =>
    pollUntil(async () => (receiver.requestsTo(path).length >= count ? receiver.requestsTo(path) : undefined), 5000, `${count} requests to ${path}`);

  beforeEach(async () => {
    receiver = await TestReceiver.start();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await receiver.close();
  });

  it('should send event notifications as EventNotification (signed or not) and fields= projections as ProjectedNotification', async () => {
    const hub = await start();
    const topic = await post(hub, '/topic', { name: 'orders' });
    await post(hub, `/topic/${topic.id}/hub`, { callback: receiver.url('/signed'), secret: SECRET });
    await post(hub, `/topic/${topic.id}/hub`, { callback: receiver.url('/unsigned') });
    await post(hub, `/topic/${topic.id}/hub`, { callback: receiver.url('/projected'), query: 'fields=event.productOrder.state' });
    // No eventId nor eventTime: the document says the hub always fills them in.
    const event = await post(hub, `/topic/${topic.id}/event`, {
      eventType: 'ProductOrderStateChangeEvent',
      title: 'Commande terminée',
      event: { productOrder: { id: 'PO-1', state: 'completed' } },
    });

    const [signed] = await arrivals('/signed', 1);
    expectMessage('EventNotification', signed);
    expect(signed.json).toMatchObject({ id: event.id, eventId: event.eventId, href: event.href, '@type': 'Event' });
    expect(signed.headers['content-type']).toBe('application/json');
    expect(verifiesAsDocumented(SECRET, signed.headers, signed.body)).toBe(true);
    expect((new Webhook(SECRET).verify(signed.body, signatureHeaders(signed)) as Json).eventId).toBe(event.eventId);

    const [unsigned] = await arrivals('/unsigned', 1);
    expectMessage('EventNotification', unsigned);
    expect(unsigned.headers['webhook-signature']).toBeUndefined();

    const [projected] = await arrivals('/projected', 1);
    expectMessage('ProjectedNotification', projected);
    expect(projected.json).toEqual({ id: event.id, href: event.href, '@type': 'Event', event: { productOrder: { state: 'completed' } } });
    // Why the document has a separate message for projections: they are not full EventNotifications.
    expect(check('EventNotification', 'payload', projected.json).valid).toBe(false);
  });

  it('should send TopicCreateEvent and TopicDeleteEvent to a signed POST /hub registration as documented', async () => {
    const hub = await start();
    await post(hub, '/hub', { callback: receiver.url('/api-listener'), secret: PLAIN_SECRET });
    const topic = await post(hub, '/topic', { name: 'announced', headerQuery: 'domain=commercial' });
    expect((await hub.client.delete(`${API}/topic/${topic.id}`)).status).toBe(204);

    // Delivery order is not guaranteed: tell the two apart by their type.
    const both = await arrivals('/api-listener', 2);
    const created = both.find((r) => r.json.eventType === 'TopicCreateEvent')!;
    const deleted = both.find((r) => r.json.eventType === 'TopicDeleteEvent')!;
    expectMessage('TopicCreateEvent', created);
    expect(created.json).toMatchObject({ event: { topic: { id: topic.id, href: topic.href } } });
    expectMessage('TopicDeleteEvent', deleted);
    expect(deleted.json).toMatchObject({ event: { topic: { id: topic.id, name: 'announced' } } });
    // Each message's schema pins its eventType: one is never valid as the other.
    expect(check('TopicDeleteEvent', 'payload', created.json).valid).toBe(false);
    expect(check('TopicCreateEvent', 'payload', deleted.json).valid).toBe(false);

    for (const req of [created, deleted]) {
      expect(verifiesAsDocumented(PLAIN_SECRET, req.headers, req.body)).toBe(true);
      expect(new Webhook(PLAIN_SECRET, { format: 'raw' }).verify(req.body, signatureHeaders(req))).toEqual(req.json);
    }
    expect(created.headers['webhook-id']).not.toBe(deleted.headers['webhook-id']);
  });

  it('should keep webhook-id and count webhook-attempt across retries, each attempt valid and signed', async () => {
    receiver.responder = (_req, i) => ({ status: i === 0 ? 503 : 204 });
    const hub = await start();
    const topic = await post(hub, '/topic', { name: 'retried' });
    await post(hub, `/topic/${topic.id}/hub`, { callback: receiver.url('/flaky'), secret: SECRET });
    await post(hub, `/topic/${topic.id}/event`, { eventType: 'X', eventId: 'retried-1' });
    const attempts = await arrivals('/flaky', 2);
    for (const req of attempts) {
      expectMessage('EventNotification', req);
      expect(verifiesAsDocumented(SECRET, req.headers, req.body)).toBe(true);
    }
    expect(attempts.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2']);
    expect(attempts[1].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
  });

  it('should append /listener/{eventType in lowerCamel} to the callback with the listener suffix on, as the channels describe', async () => {
    const hub = await start({ listenerSuffix: true });
    await post(hub, '/hub', { callback: receiver.url('/tmf/') });
    const topic = await post(hub, '/topic', { name: 'suffixed' });
    await post(hub, `/topic/${topic.id}/hub`, { callback: receiver.url('/tmf') });
    await post(hub, `/topic/${topic.id}/event`, { eventType: 'ProductOrderCreateEvent' });
    expectMessage('TopicCreateEvent', (await arrivals('/tmf/listener/topicCreateEvent', 1))[0]);
    expectMessage('EventNotification', (await arrivals('/tmf/listener/productOrderCreateEvent', 1))[0]);
  });

  it('should reject, with the same schemas, a notification without eventId, headers without webhook-id and a tampered body', async () => {
    const hub = await start();
    const topic = await post(hub, '/topic', { name: 'negative' });
    await post(hub, `/topic/${topic.id}/hub`, { callback: receiver.url('/real'), secret: SECRET });
    await post(hub, `/topic/${topic.id}/event`, { eventType: 'X', event: { n: 1 } });
    const [real] = await arrivals('/real', 1);
    expectMessage('EventNotification', real);

    const { eventId: _eventId, ...withoutEventId } = real.json;
    expect(check('EventNotification', 'payload', withoutEventId).errors).toEqual([
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'eventId' } }),
    ]);
    const { 'webhook-id': _id, ...withoutId } = real.headers;
    expect(check('EventNotification', 'headers', withoutId).errors).toEqual([
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'webhook-id' } }),
    ]);
    expect(check('EventNotification', 'headers', { ...real.headers, 'webhook-attempt': '0' }).valid).toBe(false);
    expect(check('EventNotification', 'headers', { ...real.headers, 'webhook-signature': 'v2,abc' }).valid).toBe(false);

    const tampered = real.body.replace('"n":1', '"n":2');
    expect(tampered).not.toBe(real.body);
    expect(verifiesAsDocumented(SECRET, real.headers, tampered)).toBe(false);
    expect(verifiesAsDocumented(PLAIN_SECRET, real.headers, real.body)).toBe(false);
  });
});
