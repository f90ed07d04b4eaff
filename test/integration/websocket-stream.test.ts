import { CloudEvent } from 'cloudevents';
import { links } from '../../src/hub/links';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { openSse } from '../helpers/sse-client';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { openWs, refusedUpgrade, type WsConnection, type WsOptions } from '../helpers/ws-client';

const KEY = 'ws-test-key-0123456789';

describe('live event stream over WebSocket (upgrade of GET /topic/{id}/event/stream)', () => {
  let hub: TestApp;
  let served: Listening;
  let topicId: string;
  let auth: Record<string, string> = {};
  const open: WsConnection[] = [];

  const streamUrl = (query = '', topic = topicId) => `${served.origin}${API}/topic/${topic}/event/stream${query}`;
  const connect = async (query = '', options: WsOptions = {}) => {
    const conn = await openWs(streamUrl(query), options);
    open.push(conn);
    return conn;
  };
  const publish = async (body: Record<string, unknown>) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/event`, body, auth);
    expect(res.status).toBe(201);
    return res.body as Record<string, unknown> & { id: string };
  };

  const start = async (config: Parameters<typeof buildTestApp>[0] = {}) => {
    auth = config.config?.apiKeys ? { Authorization: `Bearer ${config.config.apiKeys[0]}` } : {};
    hub = await buildTestApp({ stream: { heartbeatMs: 100 }, ...config });
    served = await listenOnLoopback(hub.app, hub);
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' }, auth)).body.id;
  };

  afterEach(async () => {
    for (const conn of open.splice(0)) conn.close();
    await served.close();
    await hub.stop();
  });

  describe('with an open API', () => {
    beforeEach(() => start());

    it('should send one JSON text frame per event published from then on: the Event as GET returns it', async () => {
      const before = await publish({ eventType: 'Before' });
      const conn = await connect();
      expect(conn.protocol).toBe('');
      const first = await publish({ eventType: 'OrderCreate', event: { order: { id: 'o1' } } });
      const second = await publish({ eventType: 'OrderUpdate' });
      const frames = await conn.waitForFrames(2);
      expect(frames).toEqual([{ ...first, href: links.event(`${served.origin}${API}`, topicId, first.id) }, expect.objectContaining({ id: second.id })]);
      expect(frames.map((f) => f.id)).not.toContain(before.id);
    });

    it('should send only the events matching ?query=, projected by fields=', async () => {
      const conn = await connect(`?query=${encodeURIComponent('eventType=AlarmCreate&fields=event.alarm.severity')}`);
      await publish({ eventType: 'AlarmClear', event: { alarm: { severity: 'critical' } } });
      const match = await publish({ eventType: 'AlarmCreate', event: { alarm: { severity: 'major', text: 'x' } } });
      const frames = await conn.waitForFrames(1);
      await publish({ eventType: 'AlarmCreate', event: { alarm: { severity: 'minor' } } });
      const all = await conn.waitForFrames(2);
      expect(frames[0]).toEqual({ id: match.id, href: expect.any(String), '@type': 'Event', event: { alarm: { severity: 'major' } } });
      expect(all.map((f) => f.event.alarm.severity)).toEqual(['major', 'minor']);
    });

    it('should replay what was published after lastEventId, then go on live, without loss or duplicates', async () => {
      const published = [];
      for (let i = 0; i < 5; i++) published.push(await publish({ eventType: 'E', n: i }));
      const conn = await connect(`?lastEventId=${published[1].id}`);
      published.push(await publish({ eventType: 'E', n: 5 }));
      const frames = await conn.waitForFrames(4);
      expect(frames.map((f) => f.n)).toEqual([2, 3, 4, 5]);
    });

    it('should close every stream with 1001 naming the lastEventId on a server-side close, and resume from it without loss or duplicates', async () => {
      const conn = await connect();
      const sent = [];
      for (let i = 0; i < 3; i++) sent.push(await publish({ eventType: 'E', n: i }));
      await conn.waitForFrames(3);
      const streams = served.streams!;
      await streams.close();
      const closed = await conn.closed;
      expect(closed.code).toBe(1001);
      const resumeFrom = /lastEventId=(\S+)/.exec(closed.reason)?.[1];
      expect(resumeFrom).toBe(sent[2].id);
      // Published while the client was away.
      for (let i = 3; i < 6; i++) sent.push(await publish({ eventType: 'E', n: i }));
      served.streams = hub.attach(served.server);
      const resumed = await connect(`?lastEventId=${resumeFrom}`);
      sent.push(await publish({ eventType: 'E', n: 6 }));
      const frames = await resumed.waitForFrames(4);
      expect([...conn.json, ...frames].map((f) => f.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(resumed.json).toHaveLength(4);
    });

    it('should ping every HUB_STREAM_HEARTBEAT', async () => {
      const conn = await connect();
      await pollUntil(async () => (conn.pings >= 2 ? true : undefined), 3000, 'two pings', 20);
    });

    it('should close a client that answers no ping within a heartbeat with 1013, naming the lastEventId to resume from', async () => {
      const conn = await connect('', { autoPong: false });
      await publish({ eventType: 'E' });
      const closed = await conn.closed;
      // The event may arrive before the close or not (two heartbeats of 100 ms): the reason names the last one sent, if any.
      const last = conn.json.at(-1)?.id;
      expect(closed).toEqual({ code: 1013, reason: `no answer to a ping; resume${last ? ` with lastEventId=${last}` : ''}` });
      expect(conn.pings).toBeGreaterThanOrEqual(1);
    });

    it('should close with 1000 when the topic is deleted', async () => {
      const conn = await connect();
      expect((await hub.client.delete(`${API}/topic/${topicId}`)).status).toBe(204);
      expect(await conn.closed).toEqual({ code: 1000, reason: 'the topic was deleted' });
    });

    it('should send structured CloudEvents with the subprotocol cloudevents.json', async () => {
      const conn = await connect('', { protocols: ['cloudevents.json'] });
      expect(conn.protocol).toBe('cloudevents.json');
      const event = await publish({ eventType: 'ProductOrderCreateEvent', eventTime: '2024-05-01T10:00:00.000Z', event: { productOrder: { id: 'PO-9' } } });
      const [frame] = await conn.waitForFrames(1);
      const ce = new CloudEvent(frame);
      expect(ce.validate()).toBe(true);
      expect(ce).toMatchObject({
        specversion: '1.0',
        id: event.id,
        source: links.topic(`${served.origin}${API}`, topicId),
        type: 'ProductOrderCreateEvent',
        time: '2024-05-01T10:00:00.000Z',
        subject: 'PO-9',
        datacontenttype: 'application/json',
      });
      expect(ce.data).toEqual({ ...event, href: expect.any(String) });
    });

    it.each<[string, string, number, RegExp]>([
      ['an unknown topic', '/topic/nope/event/stream', 404, /Topic nope does not exist/],
      ['a path without a stream', '/topic/{topic}/event', 404, /No WebSocket endpoint/],
      ['a path outside the API', '/console', 404, /No WebSocket endpoint/],
      ['an invalid query', '/topic/{topic}/event/stream?query=a.regex%3D(a%2B)%2B', 400, /./],
      ['an unknown lastEventId', '/topic/{topic}/event/stream?lastEventId=nope', 404, /Last-Event-ID "nope"/],
      ['an unknown parameter', '/topic/{topic}/event/stream?color=red', 400, /color/],
      ['a repeated query', '/topic/{topic}/event/stream?query=a%3D1&query=b%3D2', 400, /query/],
    ])('should refuse the upgrade for %s (%s) with an HTTP %i and a TMF Error', async (_case, path, status, message) => {
      const refused = await refusedUpgrade(`${served.origin}${API}${path.replace('{topic}', topicId)}`);
      expect(refused.status).toBe(status);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(refused.headers['x-request-id']).toEqual(expect.any(String));
      expect(refused.body).toMatchObject({ status: String(status), '@type': 'Error', message: expect.stringMatching(message) });
    });
  });

  describe('at the same front door as the HTTP API', () => {
    beforeEach(() => start());

    it.each<[string, string, Record<string, string>, number]>([
      ['an unknown topic', '/topic/nope/event/stream', {}, 404],
      ['an unknown lastEventId', '/topic/{topic}/event/stream?lastEventId=nope', {}, 404],
      ['an invalid query', '/topic/{topic}/event/stream?query=a.regex%3D(a%2B)%2B', {}, 400],
      ['an unknown parameter', '/topic/{topic}/event/stream?color=red', {}, 400],
      ['a __proto__ parameter', '/topic/{topic}/event/stream?__proto__=x', {}, 400],
      ['a repeated query', '/topic/{topic}/event/stream?query=a%3D1&query=b%3D2', {}, 400],
      ['a repeated lastEventId', '/topic/{topic}/event/stream?lastEventId=a&lastEventId=b', {}, 400],
      ['a malformed percent-encoding', '/topic/%E0%A4%A/event/stream', {}, 400],
      ['a query string past 4096 characters', `/topic/{topic}/event/stream?query=${'x'.repeat(4097)}`, {}, 414],
      ['a Host header that is no host', '/topic/{topic}/event/stream', { Host: 'no such host' }, 400],
    ])('should refuse %s over WebSocket exactly as over SSE', async (_case, path, headers, status) => {
      const url = `${served.origin}${API}${path.replace('{topic}', topicId)}`;
      const sse = await openSse(url, headers);
      await sse.ended;
      const overSse = { status: sse.status, body: JSON.parse(sse.body) };
      const refused = await refusedUpgrade(url, { headers });
      expect({ status: refused.status, body: refused.body }).toEqual(overSse);
      expect(overSse.status).toBe(status);
    });

    it('should answer a refused upgrade with the incoming X-Request-Id, as the HTTP API does', async () => {
      const url = `${served.origin}${API}/topic/nope/event/stream`;
      const refused = await refusedUpgrade(url, { headers: { 'X-Request-Id': 'trace-42.a_b' } });
      expect(refused.headers['x-request-id']).toBe('trace-42.a_b');
      const sse = await openSse(url, { 'X-Request-Id': 'trace-42.a_b' });
      expect(sse.headers['x-request-id']).toBe('trace-42.a_b');
    });

    it('should replace an X-Request-Id it cannot keep with a fresh one', async () => {
      const refused = await refusedUpgrade(streamUrl('', 'nope'), { headers: { 'X-Request-Id': 'not one; at all' } });
      expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('should echo the X-Request-Id on an accepted upgrade (101)', async () => {
      const conn = await connect('', { headers: { 'X-Request-Id': 'trace-101' } });
      expect(conn.headers['x-request-id']).toBe('trace-101');
    });
  });

  describe('with HUB_API_KEYS', () => {
    beforeEach(async () => {
      await start({ config: { apiKeys: [KEY] } });
    });

    it('should refuse an upgrade without a key, or with a wrong one, with a 401 TMF Error', async () => {
      const none = await refusedUpgrade(streamUrl());
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toContain('Bearer');
      expect(none.body).toMatchObject({ code: 'Unauthorized', message: expect.stringMatching(/required/) });
      const wrong = await refusedUpgrade(streamUrl(), { headers: { Authorization: 'Bearer not-the-key-at-all-00' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toMatch(/not valid/);
      const wrongProtocol = await refusedUpgrade(streamUrl(), { protocols: ['bearer.not-the-key-at-all-00', 'tmf688.json'] });
      expect(wrongProtocol.status).toBe(401);
    });

    it('should check the key before the topic: an unknown topic without a key is a 401', async () => {
      expect((await refusedUpgrade(streamUrl('', 'nope'))).status).toBe(401);
      const known = await refusedUpgrade(streamUrl('', 'nope'), { headers: { Authorization: `Bearer ${KEY}` } });
      expect(known.status).toBe(404);
    });

    it.each<[string, WsOptions, string]>([
      ['Authorization: Bearer', { headers: { Authorization: `Bearer ${KEY}` } }, ''],
      ['the subprotocol bearer.<key>', { protocols: [`bearer.${KEY}`, 'tmf688.json'] }, 'tmf688.json'],
      ['the subprotocol base64url.bearer.<key>', { protocols: [`base64url.bearer.${Buffer.from(KEY).toString('base64url')}`, 'cloudevents.json'] }, 'cloudevents.json'],
    ])('should stream with the key in %s, never echoing a key protocol', async (_case, options, protocol) => {
      const conn = await connect('', options);
      expect(conn.protocol).toBe(protocol);
      const event = await publish({ eventType: 'E' });
      const [frame] = await conn.waitForFrames(1);
      expect(frame.id).toBe(event.id);
    });
  });
});
