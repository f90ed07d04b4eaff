import { memoryStores } from '../helpers/test-stores';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { openWs, type WsConnection } from '../helpers/ws-client';

const EVENTS = 10_000;
const BUFFER_LIMIT = 64 * 1024;
/** About 1 KB per frame: 10,000 of them are far more than the socket buffers of loopback hold. */
const PADDING = 'x'.repeat(900);

// The embedded store whatever MONGODB_URL says: this is about the stream's memory, not the store,
// and 10,000 publishes through the wire test server would take minutes.
describe('a WebSocket stream client that stops reading', () => {
  let hub: TestApp;
  let served: Listening;
  let topicId: string;
  const open: WsConnection[] = [];

  beforeEach(async () => {
    hub = await buildTestApp({ stores: memoryStores(), config: { streamBufferBytes: BUFFER_LIMIT }, stream: { heartbeatMs: 1500 } });
    served = await listenOnLoopback(hub.app, hub);
    topicId = (await hub.client.post(`${API}/topic`, { name: 'firehose' })).body.id;
  });

  afterEach(async () => {
    for (const conn of open.splice(0)) conn.close();
    await served.close();
    await hub.stop();
  });

  it('should be closed with 1013 once its unsent data passes HUB_STREAM_BUFFER, keep the hub bounded, and resume with lastEventId without loss or duplicates', async () => {
    const base = `${served.origin}${API}`;
    const subscribersBefore = hub.services.feed.subscriberCount;
    const slow = await openWs(`${base}/topic/${topicId}/event/stream`);
    open.push(slow);
    slow.ws.pause();

    const rssBefore = process.memoryUsage().rss;
    let maxBuffered = 0;
    let maxRss = rssBefore;
    const sampler = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, served.streams!.bufferedBytes);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }, 5);
    try {
      for (let n = 0; n < EVENTS; n++) {
        await hub.services.events.publish(topicId, { eventType: 'Tick', n, padding: PADDING }, base);
        if (n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      // The hub gives up on the client: its tail is closed and leaves the feed.
      await pollUntil(async () => (hub.services.feed.subscriberCount === subscribersBefore ? true : undefined), 20_000, 'the slow client to be dropped', 20);
    } finally {
      clearInterval(sampler);
    }

    slow.ws.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(1013);
    const resumeFrom = /lastEventId=(\S+)/.exec(closed.reason)?.[1];
    const received = slow.json.length;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(EVENTS);
    expect(resumeFrom).toBe(slow.json[received - 1].id);
    const frameBytes = Buffer.byteLength(slow.frames[0]);
    // Per client, the hub holds at most the limit plus the frame that crossed it.
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(BUFFER_LIMIT + frameBytes + 64);
    // The whole process: the 10,000 stored events (about 10 MB of JSON) and test noise, not a growing queue.
    const rssGrowthMb = (maxRss - rssBefore) / 2 ** 20;
    expect(rssGrowthMb).toBeLessThan(100);
    console.log(`slow WebSocket client: ${received} of ${EVENTS} frames read before the 1013, hub buffered at most ${maxBuffered} bytes, RSS grew ${rssGrowthMb.toFixed(1)} MB`);

    const resumed = await openWs(`${base}/topic/${topicId}/event/stream?lastEventId=${resumeFrom}`);
    open.push(resumed);
    const rest = await resumed.waitForFrames(EVENTS - received, 30_000);
    const all = [...slow.json, ...rest].map((frame) => frame.n);
    expect(all).toEqual(Array.from({ length: EVENTS }, (_, n) => n));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resumed.json).toHaveLength(EVENTS - received);
  }, 90_000);
});
