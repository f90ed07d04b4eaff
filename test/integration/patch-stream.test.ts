import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import type { Stores } from '../../src/store/store-types';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { openSse, type SseConnection } from '../helpers/sse-client';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';
import { openWs, type WsConnection } from '../helpers/ws-client';

/** A deterministic generator (mulberry32): the same changes on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a client holds: the snapshot, with every patch applied by an RFC 6902 library other than the hub's. */
class ClientView {
  readonly states = new Map<string, unknown>();
  lastEventId?: string;

  apply(kind: string | undefined, message: any, id?: string): void {
    if (kind === 'snapshot') this.states.set(message.resourceId, message.state);
    else {
      const next = applyPatch(deepClone(this.states.get(message.resourceId) ?? null), message.patch as Operation[]).newDocument;
      if (next === null) this.states.delete(message.resourceId);
      else this.states.set(message.resourceId, next);
    }
    if (id !== undefined) this.lastEventId = id;
  }

  sorted(): unknown[] {
    return [...this.states.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, state]) => state);
  }
}

/** One random change of the TMF622 mock's orders: an attribute, an item, the state, a new order, an order gone. */
function change(mock: Tmf622Mock, next: () => number, serial: number): void {
  const pick = () => mock.orders[Math.floor(next() * mock.orders.length)];
  const roll = next();
  if (roll < 0.1 || mock.orders.length < 5) return mock.set(`n${serial}`, { priority: String(serial % 5) });
  const order = pick();
  const id = order.id as string;
  if (roll < 0.18) return mock.remove(id);
  if (roll < 0.4) return mock.set(id, { state: ['acknowledged', 'inProgress', 'held', 'completed'][Math.floor(next() * 4)] });
  if (roll < 0.55) return mock.set(id, { priority: String(Math.floor(next() * 5)) });
  if (roll < 0.7) return mock.set(id, { note: next() < 0.5 ? undefined : [{ text: `note ${serial}`, author: 'test' }] });
  const items = [...(order.productOrderItem as Array<Record<string, unknown>>)];
  if (roll < 0.8) items.push({ id: String(serial), action: 'add', quantity: 1 });
  else if (roll < 0.9 && items.length > 1) items.splice(Math.floor(next() * items.length), 1);
  else items[0] = { ...items[0], quantity: Math.floor(next() * 10) + 1 };
  mock.set(id, { productOrderItem: items });
}

describe('a mode=patch stream of a polled topic (snapshot, then RFC 6902 patches)', () => {
  let mock: Tmf622Mock;
  let stores: Stores;
  let cleanup: () => Promise<void>;
  let hub: TestApp;
  let listening: Listening;
  let topicId: string;
  let sse: SseConnection | undefined;
  let ws: WsConnection | undefined;

  const latest = async () => (await hub.client.get(`${API}/topic/${topicId}/state?limit=1000`)).body.sort((a: any, b: any) => a.id.localeCompare(b.id));
  const streamUrl = () => `${listening.origin}${API}/topic/${topicId}/event/stream?mode=patch`;
  const poll = async () => expect(await hub.polls.pollNow(topicId)).toHaveProperty('polled');

  beforeEach(async () => {
    mock = await Tmf622Mock.start();
    mock.orders = Array.from({ length: 30 }, (_, i) => productOrder(`o${i}`));
    ({ stores, cleanup } = await createTestStores());
    hub = await buildTestApp({ stores, stream: { pollMs: 20 } });
    listening = await listenOnLoopback(hub.app, hub);
    topicId = (await hub.client.post(`${API}/topic`, { name: 'orders', source: { poll: mock.url, resourceType: 'ProductOrder' } })).body.id;
    await hub.polls.refresh();
    await poll();
  });

  afterEach(async () => {
    sse?.close();
    ws?.close();
    await listening.close();
    await hub.stop();
    await mock.close();
    await cleanup();
  });

  it('should give a client that applies the patches to the snapshot exactly the latest states, over a thousand random changes, over SSE and WebSocket, resuming with Last-Event-ID', async () => {
    const next = random(28);
    const viaSse = new ClientView();
    const viaWs = new ClientView();
    sse = await openSse(streamUrl());
    ws = await openWs(streamUrl());
    const snapshot = await sse.waitForMessages(30);
    expect(snapshot.every((m) => m.event === 'snapshot' && m.id === undefined)).toBe(true);
    expect((await ws.waitForFrames(30)).every((frame) => frame.type === 'snapshot')).toBe(true);
    let read = 0;
    const catchUp = () => {
      for (const message of sse!.messages.slice(read)) viaSse.apply(message.event, message.json, message.id);
      read = sse!.messages.length;
    };
    for (let serial = 0; serial < 1000; serial += 1) {
      change(mock, next, serial);
      if (serial % 20 === 19) await poll();
      if (serial === 499) {
        // The SSE client goes away half-way, and comes back with what it last received.
        await pollUntil(async () => (catchUp(), viaSse.lastEventId !== undefined && JSON.stringify(viaSse.sorted()) === JSON.stringify(await latest()) ? true : undefined), 10_000, 'the SSE client up to date');
        sse.close();
        read = 0;
      }
      if (serial === 699) {
        sse = await openSse(streamUrl(), { 'Last-Event-ID': viaSse.lastEventId! });
      }
    }
    const expected = await latest();
    expect(expected.length).toBeGreaterThan(10);
    await pollUntil(async () => (catchUp(), JSON.stringify(viaSse.sorted()) === JSON.stringify(expected) ? true : undefined), 10_000, 'the SSE client to hold the latest states');
    expect(sse.messages.every((m) => m.event === 'patch' && m.id !== undefined)).toBe(true);
    await pollUntil(async () => {
      for (const frame of ws!.json.splice(0)) viaWs.apply(frame.type, frame);
      return JSON.stringify(viaWs.sorted()) === JSON.stringify(expected) ? true : undefined;
    }, 10_000, 'the WebSocket client to hold the latest states');
  });

  it('should send a patch message per change with the event it came from', async () => {
    sse = await openSse(streamUrl());
    await sse.waitForMessages(30);
    mock.set('o1', { state: 'completed' });
    mock.remove('o2');
    mock.set('z9', {});
    await poll();
    const messages = (await sse.waitForMessages(33)).slice(30);
    expect(messages.map((m) => [m.event, m.json.resourceId, m.json.eventType, m.json.patch])).toEqual([
      ['patch', 'o1', 'ProductOrderAttributeValueChangeEvent', [{ op: 'replace', path: '/state', value: 'completed' }]],
      ['patch', 'z9', 'ProductOrderCreateEvent', [{ op: 'add', path: '', value: productOrder('z9') }]],
      ['patch', 'o2', 'ProductOrderDeleteEvent', [{ op: 'remove', path: '' }]],
    ]);
    // The StateChangeEvent that follows o1's change changes nothing the client holds: no message.
    const events = (await hub.client.get(`${API}/topic/${topicId}/event`)).body;
    expect(events.map((e: { eventType: string }) => e.eventType)).toEqual(['ProductOrderAttributeValueChangeEvent', 'ProductOrderStateChangeEvent', 'ProductOrderCreateEvent', 'ProductOrderDeleteEvent']);
    expect(messages.map((m) => m.id)).toEqual([events[0].id, events[2].id, events[3].id]);
    expect(messages.map((m) => m.json.eventId)).toEqual([events[0].eventId, events[2].eventId, events[3].eventId]);
  });

  it('should refuse query with mode=patch, and a mode it does not know', async () => {
    const withQuery = await hub.client.get(`${API}/topic/${topicId}/event/stream?mode=patch&query=eventType%3DX`);
    expect(withQuery.status).toBe(400);
    expect(withQuery.body.message).toContain('query: a mode=patch stream sends every change');
    expect((await hub.client.get(`${API}/topic/${topicId}/event/stream?mode=diff`)).status).toBe(400);
  });
});
