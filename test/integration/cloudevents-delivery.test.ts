import { HTTP, type CloudEvent } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { messageSchemas } from '../helpers/asyncapi-schemas';
import { listenOnLoopback } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { TEST_HOST } from '../helpers/contract-client';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver, type ReceivedRequest } from '../helpers/test-receiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const asyncapi = messageSchemas(JSON.parse(readFileSync(join(PROJECT_ROOT, 'asyncapi', 'tmf688-hub.asyncapi.json'), 'utf8')));

/** The delivery as the AsyncAPI document declares the message: headers and payload. */
function expectAsyncApiMessage(name: string, req: ReceivedRequest): void {
  const headers = asyncapi(name, 'headers');
  const payload = asyncapi(name, 'payload');
  expect({ valid: headers(req.headers), errors: headers.errors }).toEqual({ valid: true, errors: null });
  expect({ valid: payload(req.json), errors: payload.errors }).toEqual({ valid: true, errors: null });
}

const signatureHeaders = (req: ReceivedRequest) => ({
  'webhook-id': String(req.headers['webhook-id']),
  'webhook-timestamp': String(req.headers['webhook-timestamp']),
  'webhook-signature': String(req.headers['webhook-signature']),
});

/** What the cloudevents package reads from an HTTP request: headers as plain strings, and the raw body. */
const asMessage = (req: ReceivedRequest) => ({
  headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
  body: req.body,
});

describe('CloudEvents delivery (hub format) and the webhook validation handshake', () => {
  let hub: TestApp;
  let receiver: TestReceiver;
  let topicId: string;

  const subscribe = (body: Record<string, unknown>) => hub.client.post(`${API}/topic/${topicId}/hub`, body);
  const publish = async (body: Record<string, unknown>) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/event`, body);
    expect(res.status).toBe(201);
    return res.body as Record<string, any>;
  };
  const arrivals = (path: string, count: number) =>
    pollUntil(async () => (receiver.requestsTo(path).length >= count ? receiver.requestsTo(path) : undefined), 5000, `${count} requests to ${path}`, 20);

  beforeEach(async () => {
    receiver = await TestReceiver.start();
    hub = await buildTestApp({ worker: { retrySchedule: [30] } });
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });

  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  const ORDER = { eventType: 'ProductOrderStateChangeEvent', eventTime: '2024-05-01T10:00:00.000Z', event: { productOrder: { id: 'PO-1', state: 'completed' } } };
  const topicHref = () => `http://${TEST_HOST}${API}/topic/${topicId}`;

  it('should send structured mode (application/cloudevents+json) that the cloudevents package parses, signed over the body sent, with the same id on a retry', async () => {
    receiver.responder = (_req, index) => ({ status: index === 0 ? 500 : 204 });
    expect((await subscribe({ callback: receiver.url('/structured'), format: 'cloudevents', secret: SECRET })).body).toMatchObject({ format: 'cloudevents' });
    const event = await publish(ORDER);
    const [first, retry] = await arrivals('/structured', 2);
    expect(first.headers['content-type']).toBe('application/cloudevents+json');
    const ce = HTTP.toEvent(asMessage(retry)) as CloudEvent<unknown>;
    expect(ce.validate()).toBe(true);
    expect(ce).toMatchObject({
      specversion: '1.0',
      id: retry.headers['webhook-id'],
      source: topicHref(),
      type: 'ProductOrderStateChangeEvent',
      time: '2024-05-01T10:00:00.000Z',
      subject: 'PO-1',
      datacontenttype: 'application/json',
    });
    expect(ce.data).toEqual(event);
    // Stable across retries: the CloudEvent id is the delivery id, and the body is the same.
    expect(first.headers['webhook-id']).toBe(retry.headers['webhook-id']);
    expect(first.body).toBe(retry.body);
    expect(new Webhook(SECRET).verify(retry.body, signatureHeaders(retry))).toMatchObject({ id: ce.id, data: event });
    expectAsyncApiMessage('CloudEventNotification', retry);
  });

  it('should send binary mode: the notification as body with ce-* headers, parsed by the cloudevents package, signature verifying', async () => {
    await subscribe({ callback: receiver.url('/binary'), format: 'cloudevents-binary', secret: SECRET });
    const event = await publish({ ...ORDER, event: { productOrder: { id: 'PO-ü/1', state: 'completed' } } });
    const [req] = await arrivals('/binary', 1);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['ce-specversion']).toBe('1.0');
    const ce = HTTP.toEvent(asMessage(req)) as CloudEvent<unknown>;
    expect(ce.validate()).toBe(true);
    expect(ce).toMatchObject({ id: req.headers['webhook-id'], source: topicHref(), type: ORDER.eventType, time: ORDER.eventTime, datacontenttype: 'application/json' });
    // Outside printable ASCII a header value is percent-encoded, as the HTTP binding says (the
    // cloudevents package 10 hands it over undecoded).
    expect(req.headers['ce-subject']).toBe('PO-%C3%BC/1');
    expect(decodeURIComponent(String(ce.subject))).toBe('PO-ü/1');
    expect(ce.data).toEqual(event);
    expect(new Webhook(SECRET).verify(req.body, signatureHeaders(req))).toEqual(event);
    expectAsyncApiMessage('CloudEventBinaryNotification', req);
  });

  it('should leave hubs without a format on the plain TMF notification, with no ce-* header', async () => {
    await subscribe({ callback: receiver.url('/plain') });
    const event = await publish(ORDER);
    const [req] = await arrivals('/plain', 1);
    expect(req.headers['content-type']).toBe('application/json');
    expect(Object.keys(req.headers).filter((h) => h.startsWith('ce-'))).toEqual([]);
    expect(req.json).toEqual(event);
  });

  it('should refuse an unknown format with a 400', async () => {
    const res = await subscribe({ callback: receiver.url('/x'), format: 'xml' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/format/);
  });

  describe('validate: true (the CloudEvents webhook validation handshake)', () => {
    it('should ask with OPTIONS, WebHook-Request-Origin and WebHook-Request-Rate, and create the hub when the listener consents, keeping its allowed rate', async () => {
      receiver.responder = (req) =>
        req.method === 'OPTIONS'
          ? { status: 200, headers: { 'WebHook-Allowed-Origin': String(req.headers['webhook-request-origin']), 'WebHook-Allowed-Rate': '120' } }
          : { status: 204 };
      const res = await subscribe({ callback: receiver.url('/consenting'), validate: true, format: 'cloudevents' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ validate: true, rateLimit: { perSecond: 2 } });
      const [probe] = receiver.requests;
      expect(probe).toMatchObject({ method: 'OPTIONS', path: '/consenting' });
      expect(probe.headers['webhook-request-origin']).toBe(TEST_HOST);
      expect(probe.headers['webhook-request-rate']).toBe('600');
      await publish(ORDER);
      await arrivals('/consenting', 2);
    });

    it('should accept WebHook-Allowed-Origin: * and store no rate limit for WebHook-Allowed-Rate: *', async () => {
      receiver.responder = () => ({ status: 200, headers: { 'WebHook-Allowed-Origin': '*', 'WebHook-Allowed-Rate': '*' } });
      const res = await subscribe({ callback: receiver.url('/any'), validate: true });
      expect(res.status).toBe(201);
      expect(res.body.rateLimit).toBeUndefined();
    });

    it.each<[string, () => { status: number; headers?: Record<string, string>; body?: string }, RegExp]>([
      ['answers 405', () => ({ status: 405, headers: { Allow: 'POST' }, body: 'no OPTIONS here' }), /it answered 405 \(allow: "POST"\) body "no OPTIONS here"/],
      ['answers 200 without WebHook-Allowed-Origin', () => ({ status: 200 }), /it answered 200, without WebHook-Allowed-Origin/],
      ['allows another origin', () => ({ status: 200, headers: { 'WebHook-Allowed-Origin': 'other.example.com' } }), /webhook-allowed-origin: "other.example.com"\); WebHook-Allowed-Origin must be "hub.test" or "\*"/],
    ])('should refuse to create the hub with a 400 quoting the answer when the listener %s', async (_case, reply, message) => {
      receiver.responder = reply;
      const res = await subscribe({ callback: receiver.url('/refusing'), validate: true });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/did not consent/);
      expect(res.body.message).toMatch(message);
      expect((await hub.client.get(`${API}/topic/${topicId}/hub`)).body).toEqual([]);
    });

    it('should refuse with a 400 when the listener is silent (no answer within HUB_DELIVERY_TIMEOUT)', async () => {
      receiver.responder = () => ({ status: 200, headers: { 'WebHook-Allowed-Origin': '*' }, delayMs: 3000 });
      const res = await subscribe({ callback: receiver.url('/silent'), validate: true });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/no answer \(timed out after 1000 ms\)/);
    });

    it('should refuse with a 400 when nothing listens at the callback', async () => {
      const closed = await TestReceiver.start();
      const url = closed.url('/gone');
      await closed.close();
      const res = await subscribe({ callback: url, validate: true });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/no answer \(.*ECONNREFUSED/);
    });

    it("should validate against the hub's own inbox, which then keeps the CloudEvents it receives (the example of docs/delivery.md)", async () => {
      const served = await listenOnLoopback(hub.app, hub);
      try {
        const inbox = (name: string) => `${served.origin}${API}/inbox/${name}`;
        expect((await subscribe({ callback: inbox('ce'), format: 'cloudevents', validate: true })).status).toBe(201);
        expect((await subscribe({ callback: inbox('ce-binary'), format: 'cloudevents-binary', validate: true })).status).toBe(201);
        const event = await publish(ORDER);
        const entries = async (name: string) => (await hub.client.get(`${API}/inbox/${name}`)).body as Array<Record<string, any>>;
        const [structured] = await pollUntil(async () => ((await entries('ce')).length ? entries('ce') : undefined), 5000, 'the structured CloudEvent in the inbox');
        expect(structured.headers['content-type']).toBe('application/cloudevents+json');
        expect(structured.notification).toMatchObject({ specversion: '1.0', type: ORDER.eventType, subject: 'PO-1', data: { eventId: event.eventId } });
        const [binary] = await pollUntil(async () => ((await entries('ce-binary')).length ? entries('ce-binary') : undefined), 5000, 'the binary CloudEvent in the inbox');
        expect(binary.headers).toMatchObject({ 'ce-specversion': '1.0', 'ce-type': ORDER.eventType, 'ce-subject': 'PO-1', traceparent: expect.stringMatching(/^00-/) });
        expect(binary.notification.eventId).toBe(event.eventId);
      } finally {
        await served.close();
      }
    });

    it("should be answered by the hub's own mock inbox, so a hub can validate against it", async () => {
      const options = await hub.client.get(`${API}/inbox/mine`);
      expect(options.status).toBe(200);
      const { default: request } = await import('supertest');
      const handshake = await request(hub.app.callback()).options(`${API}/inbox/mine`).set('WebHook-Request-Origin', 'hub.example.com');
      expect(handshake.status).toBe(200);
      expect(handshake.headers['webhook-allowed-origin']).toBe('hub.example.com');
      expect(handshake.headers['webhook-allowed-rate']).toBe('*');
      expect(handshake.headers.allow).toContain('OPTIONS');
    });
  });
});
