import http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

/**
 * A listener that holds every request until the test answers it (or the hub gives up on it), counting
 * the requests waiting at once: what the hub has in flight to it, seen from the listener's side.
 */
class HeldListener {
  private held: http.ServerResponse[] = [];
  maxOpen = 0;
  received = 0;
  /** Answer 200 to all held at once as soon as this many are held (then the next count): a fast listener, paced by the hub. */
  answerAt: number[] = [];
  private readonly server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      this.received++;
      this.held.push(res);
      this.maxOpen = Math.max(this.maxOpen, this.open);
      // The hub closed the connection (its timeout): no longer waiting.
      res.on('close', () => (this.held = this.held.filter((r) => r !== res)));
      if (this.open === this.answerAt[0]) {
        this.answerAt.shift();
        this.answer(200);
      }
    });
  });

  /** Requests waiting for an answer now. */
  get open(): number {
    return this.held.length;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/listener`;
  }

  /** Answers every request held now with `status`. */
  answer(status: number): number {
    const answered = this.held.splice(0);
    for (const res of answered) res.writeHead(status).end();
    return answered.length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const WINDOW = 'tmf688_hub_concurrency_window';

/** The window histogram's samples: bucket counts by `le`, and the count and sum of hubs. */
async function windows(hub: TestApp): Promise<{ buckets: Map<string, number>; count: number; sum: number }> {
  const text = (await supertest(hub.app.callback()).get('/metrics')).text;
  const buckets = new Map<string, number>();
  let count = NaN;
  let sum = NaN;
  for (const line of text.split('\n')) {
    const bucket = new RegExp(`^${WINDOW}_bucket\\{le="([^"]+)"\\} (\\S+)$`).exec(line);
    if (bucket) buckets.set(bucket[1], Number(bucket[2]));
    if (line.startsWith(`${WINDOW}_count `)) count = Number(line.split(' ')[1]);
    if (line.startsWith(`${WINDOW}_sum `)) sum = Number(line.split(' ')[1]);
  }
  return { buckets, count, sum };
}

describe('adaptive concurrency per hub (a window that grows for a fast listener and falls for a failing one)', () => {
  let hub: TestApp;
  let listener: HeldListener;

  /** A hub with one subscription to the listener and `events` published, all due before the worker looks (a backlog). */
  async function hubWithEvents(events: number, worker: NonNullable<Parameters<typeof buildTestApp>[0]>['worker'] = {}): Promise<void> {
    hub = await buildTestApp({ worker: { concurrency: 64, perHubConcurrency: 32, ...worker } });
    await hub.worker!.stop(0);
    const url = await listener.start();
    const topic = await hub.client.post(`${API}/topic`, { name: 'adaptive' });
    expect(topic.status).toBe(201);
    expect((await hub.client.post(`${API}/topic/${topic.body.id}/hub`, { callback: url })).status).toBe(201);
    for (let i = 0; i < events; i++) expect((await hub.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'X', n: i })).status).toBe(201);
    hub.worker!.start();
  }

  /** Waits until the listener holds `count` requests at once. */
  const holding = (count: number) => pollUntil(async () => (listener.open >= count ? true : undefined), 10_000, `${count} requests held at once`, 10);

  beforeEach(() => {
    listener = new HeldListener();
  });

  afterEach(async () => {
    await listener.close();
    await hub?.stop();
  });

  it('should start a hub at 4 in flight, whatever its backlog', async () => {
    await hubWithEvents(10);
    await holding(4);
    // Nothing more is sent until an answer comes; no window is shown before the hub's first attempt ends.
    expect(listener.received).toBe(4);
    expect((await windows(hub)).count).toBe(0);
  });

  it('should give a listener that answers fast more in flight, doubling each round up to the ceiling', async () => {
    // Each fast success while the window is in use adds 1 (until a first failure): 4 answers make a
    // window of 8, 8 one of 16, 16 one of 32 (the ceiling). 28 answered, 32 left: all go at once.
    listener.answerAt = [4, 8, 16];
    await hubWithEvents(60);
    await holding(32);
    expect(listener.received).toBe(60);
    expect(listener.maxOpen).toBe(32);
    const grown = await windows(hub);
    expect(grown).toMatchObject({ count: 1, sum: 32 });
    expect(grown.buckets.get('16')).toBe(0);
    expect(grown.buckets.get('32')).toBe(1);
    listener.answer(200);
  });

  it('should halve the window of a listener that answers 503, down to 1 in flight', async () => {
    await hubWithEvents(12, { retrySchedule: [20, 20, 20, 20, 20, 20] });
    await holding(4);
    // One cut per round: the 4 answers sent under the window of 4 cut it once, to 2.
    expect(listener.answer(503)).toBe(4);
    await holding(2);
    expect((await windows(hub)).sum).toBe(2);
    // Whatever is held, after 2 rounds more of 503 the window is 1.
    for (let round = 0; round < 2; round++) {
      await pollUntil(async () => (listener.open > 0 ? true : undefined), 10_000, 'a request', 10);
      listener.answer(503);
    }
    await pollUntil(async () => ((await windows(hub)).sum === 1 ? true : undefined), 10_000, 'a window of 1', 10);
    // From now on, one at a time: every request waits for the answer to the one before.
    listener.maxOpen = 0;
    for (let i = 0; i < 5; i++) {
      await holding(1);
      expect(listener.answer(503)).toBe(1);
    }
    expect(listener.maxOpen).toBe(1);
    expect((await windows(hub)).buckets.get('1')).toBe(1);
  });

  it('should hold fewer sockets to a listener that hangs past the timeout: 4, then 2, then 1', async () => {
    await hubWithEvents(8, { timeoutMs: 300, retrySchedule: [20, 20, 20, 20, 20, 20, 20, 20] });
    await holding(4);
    expect(listener.received).toBe(4);
    // Nothing is answered: the attempts time out, and the hub closes their connections.
    await pollUntil(async () => ((await windows(hub)).sum === 1 ? true : undefined), 20_000, 'a window of 1', 20);
    // Once the hub's own connections of the last round are closed, it holds one socket at a time.
    await pollUntil(async () => (listener.open <= 1 ? true : undefined), 5000, 'the earlier requests closed', 10);
    listener.maxOpen = listener.open;
    const before = listener.received;
    await pollUntil(async () => (listener.received >= before + 3 ? true : undefined), 20_000, '3 more attempts', 20);
    expect(listener.maxOpen).toBeLessThanOrEqual(2);
  });
});
