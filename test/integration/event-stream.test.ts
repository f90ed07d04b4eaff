import { links } from '../../src/hub/links';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { openSse, type SseConnection } from '../helpers/sse-client';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('live event stream (GET /topic/{id}/event/stream)', () => {
  let hub: TestApp;
  let served: Listening;
  let base: string;
  let topicId: string;
  const open: SseConnection[] = [];

  const stream = async (query = '', headers: Record<string, string> = {}) => {
    const conn = await openSse(`${base}${API}/topic/${topicId}/event/stream${query}`, headers);
    open.push(conn);
    return conn;
  };
  const publish = async (body: Record<string, unknown>) => {
    const res = await hub.client.post(`${API}/topic/${topicId}/event`, body);
    expect(res.status).toBe(201);
    return res.body as Record<string, unknown> & { id: string };
  };

  beforeEach(async () => {
    hub = await buildTestApp({ stream: { heartbeatMs: 100 } });
    served = await listenOnLoopback(hub.app);
    base = served.origin;
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
  });

  afterEach(async () => {
    for (const conn of open.splice(0)) conn.close();
    await served.close();
  });

  it('should answer 200 text/event-stream and send each event published from then on, with its id and href', async () => {
    const before = await publish({ eventType: 'Before' });
    const conn = await stream();
    expect(conn.status).toBe(200);
    expect(conn.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(conn.headers['cache-control']).toContain('no-cache');
    const first = await publish({ eventType: 'OrderCreate', event: { order: { id: 'o1' } } });
    const second = await publish({ eventType: 'OrderUpdate' });
    const messages = await conn.waitForMessages(2);
    expect(messages.map((m) => m.id)).toEqual([first.id, second.id]);
    // The same Event the publisher got back, its href built from the host the stream was asked on.
    expect({ ...messages[0].json, href: first.href }).toEqual(first);
    expect(messages[0].json.href).toBe(links.event(`${base}${API}`, topicId, first.id));
    expect(conn.messages.map((m) => m.id)).not.toContain(before.id);
  });

  it('should send only the events matching ?query=, projected by fields=, ids kept', async () => {
    const conn = await stream(`?query=${encodeURIComponent('eventType=AlarmCreate&event.alarm.severity=critical&fields=eventType,event.alarm.severity')}`);
    await publish({ eventType: 'AlarmCreate', event: { alarm: { severity: 'minor' } } });
    await publish({ eventType: 'AlarmClear', event: { alarm: { severity: 'critical' } } });
    const match = await publish({ eventType: 'AlarmCreate', event: { alarm: { severity: 'critical', text: 'x' } } });
    const last = await publish({ eventType: 'AlarmCreate', event: { alarm: { severity: 'critical' } } });
    const messages = await conn.waitForMessages(2);
    expect(messages.map((m) => m.id)).toEqual([match.id, last.id]);
    // As in a hub's delivery, a projection keeps id, href and @type.
    expect(messages[0].json).toEqual({
      id: match.id,
      href: links.event(`${base}${API}`, topicId, match.id),
      '@type': 'Event',
      eventType: 'AlarmCreate',
      event: { alarm: { severity: 'critical' } },
    });
  });

  it('should resume after Last-Event-ID from the stored events, then continue live', async () => {
    const seen = await publish({ eventType: 'A' });
    const missed1 = await publish({ eventType: 'B' });
    const missed2 = await publish({ eventType: 'C' });
    const conn = await stream('', { 'Last-Event-ID': seen.id });
    const live = await publish({ eventType: 'D' });
    const messages = await conn.waitForMessages(3);
    expect(messages.map((m) => m.id)).toEqual([missed1.id, missed2.id, live.id]);
    expect(messages[0].json.eventType).toBe('B');
  });

  it.each([['empty', ''], ['blank', '  ']])('should treat a Last-Event-ID that is %s as absent: live events only, no replay', async (_case, value) => {
    await publish({ eventType: 'Before' });
    const conn = await stream('', { 'Last-Event-ID': value });
    expect(conn.status).toBe(200);
    const live = await publish({ eventType: 'Live' });
    const [message] = await conn.waitForMessages(1);
    expect(message.id).toBe(live.id);
    expect(conn.messages.map((m) => m.id)).toEqual([live.id]);
  });

  it('should also resume after a lastEventId query parameter (the WebSocket form), the header winning over it', async () => {
    const first = await publish({ eventType: 'A' });
    const second = await publish({ eventType: 'B' });
    const third = await publish({ eventType: 'C' });
    const byQuery = await stream(`?lastEventId=${first.id}`);
    expect((await byQuery.waitForMessages(2)).map((m) => m.id)).toEqual([second.id, third.id]);
    const both = await stream(`?lastEventId=${first.id}`, { 'Last-Event-ID': second.id });
    expect((await both.waitForMessages(1)).map((m) => m.id)).toEqual([third.id]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(both.messages).toHaveLength(1);
  });

  it('should page through a long backlog in order', async () => {
    const ids: string[] = [];
    const first = await publish({ eventType: 'Start' });
    for (let i = 0; i < 250; i++) ids.push((await hub.services.events.publish(topicId, { eventType: `E${i}` }, `${base}${API}`)).id);
    const conn = await stream('', { 'Last-Event-ID': first.id });
    const messages = await conn.waitForMessages(250, 10_000);
    expect(messages.map((m) => m.id)).toEqual(ids);
  });

  it('should show events stored by another process (no in-process news), by polling the store', async () => {
    const conn = await stream();
    // A second set of services on the same stores stands for another hub process: its feed is not ours.
    const other = (await buildTestApp({ stores: hub.stores })).services;
    const event = await other.events.publish(topicId, { eventType: 'Elsewhere' }, `${base}${API}`);
    const [message] = await conn.waitForMessages(1);
    expect(message.id).toBe(event.id);
  });

  it('should send heartbeat comments while idle', async () => {
    const conn = await stream();
    await pollUntil(async () => (conn.comments.filter((c) => c === 'heartbeat').length >= 2 ? true : undefined), 5000, 'two heartbeats', 20);
    expect(conn.messages).toEqual([]);
  });

  it('should stop listening for news when the client goes away', async () => {
    const before = hub.services.feed.subscriberCount;
    const conn = await stream();
    await pollUntil(async () => (hub.services.feed.subscriberCount === before + 1 ? true : undefined), 2000, 'the tail to subscribe', 10);
    conn.close();
    await pollUntil(async () => (hub.services.feed.subscriberCount === before ? true : undefined), 2000, 'the tail to unsubscribe', 10);
  });

  it('should end the stream when the topic is deleted', async () => {
    await publish({ eventType: 'A' });
    const conn = await stream();
    expect((await hub.client.delete(`${API}/topic/${topicId}`)).status).toBe(204);
    await conn.ended;
    expect(conn.messages).toEqual([]);
  });

  it.each([
    ['an unknown topic', '/topic/nope/event/stream', {}, 404, 'Topic nope does not exist'],
    ['a bad query', `/topic/{topic}/event/stream?query=${encodeURIComponent('a.regex=(')}`, {}, 400, 'query: '],
    ['an unknown Last-Event-ID', '/topic/{topic}/event/stream', { 'Last-Event-ID': 'nope' }, 404, 'Last-Event-ID "nope" is not an event of topic'],
  ])('should refuse %s with a TMF Error before streaming', async (_case, path, headers, status, message) => {
    const res = await hub.client.get(`${API}${path.replace('{topic}', topicId)}`, headers);
    expect(res.status).toBe(status);
    expect(res.body.message).toContain(message);
    expect(res.headers['content-type']).toContain('application/json');
  });

  it('should need the API key when keys are configured', async () => {
    const keyed = await buildTestApp({ config: { apiKeys: ['key-1234567890abcdef'] } });
    const topic = (await keyed.client.post(`${API}/topic`, { name: 't' }, { Authorization: 'Bearer key-1234567890abcdef' })).body.id;
    const denied = await keyed.client.get(`${API}/topic/${topic}/event/stream`);
    expect(denied.status).toBe(401);
  });
});
