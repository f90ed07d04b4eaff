import type { Config } from '../../src/config';
import type { Stores } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';
import type { Reply } from '../helpers/test-receiver';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';

/**
 * Every way a poll can fail is recorded on its topic (source.lastError, source.lastPollAt), counted,
 * and leaves the states as they were; no failure stops the poller or the other topics.
 */
describe('a poll source that fails', () => {
  let mock: Tmf622Mock;
  let stores: Stores;
  let cleanup: () => Promise<void>;
  let hubs: TestApp[];

  async function setUp(config: Partial<Config> = {}): Promise<TestApp> {
    const hub = await buildTestApp({ stores, config });
    hubs.push(hub);
    return hub;
  }

  async function topic(hub: TestApp, url: string): Promise<string> {
    const res = await hub.client.post(`${API}/topic`, { name: `orders-${Math.random()}`, source: { poll: url, interval: '1s' } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  beforeEach(async () => {
    hubs = [];
    mock = await Tmf622Mock.start();
    mock.orders = [productOrder('o1')];
    ({ stores, cleanup } = await createTestStores());
  });

  afterEach(async () => {
    for (const hub of hubs) await hub.stop();
    await mock.close();
    await cleanup();
  });

  it.each<[string, Reply | undefined, Partial<Config>, RegExp, (url: string) => string]>([
    ['an unreachable URL', undefined, {}, /ECONNREFUSED/, () => 'http://127.0.0.1:9/productOrder'],
    ['a 500', { status: 500, body: '{"code":"500"}' }, {}, /answered 500$/, (url) => url],
    ['a body that is not JSON', { status: 200, body: '<html>maintenance</html>' }, {}, /the body is not JSON/, (url) => url],
    ['a body over HUB_POLL_MAX_BYTES', { status: 200, body: JSON.stringify([productOrder('big', { note: 'x'.repeat(4096) })]) }, { pollMaxBytes: 1024 }, /the answer is larger than 1024 bytes/, (url) => url],
    // Created before the policy was tightened (by a hub on the same store without it): refused at each connection since.
    ['an address the callback guard refuses', undefined, { callbackPolicy: 'public-only' }, /refused by HUB_CALLBACK_POLICY=public-only/, (url) => url],
    ['a timeout', { status: 200, body: '[]', delayMs: 2000 }, { pollTimeoutMs: 200 }, /timed out after 200 ms/, (url) => url],
  ])('should record %s on the topic, count it, and go on polling the other topics', async (_case, reply, config, reason, urlOf) => {
    const hub = await setUp(config);
    const failing = await topic(config.callbackPolicy ? await setUp() : hub, urlOf(mock.url));
    const healthy = config.callbackPolicy ? undefined : await topic(hub, mock.url);
    await hub.polls.refresh();
    mock.fail = reply;
    const turn = await hub.polls.pollNow(failing);
    expect(turn).toEqual({ failed: expect.stringMatching(reason) });
    const shown = await hub.client.get(`${API}/topic/${failing}`);
    expect(shown.body.source.lastError).toMatch(reason);
    expect(Date.parse(shown.body.source.lastPollAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(hub.polls.stats).toMatchObject({ polls: 1, failures: 1 });
    expect((await hub.metrics.scrape()).body).toContain('tmf688_polls_total{outcome="failed"} 1');
    expect((await stores.states.list(failing, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
    mock.fail = undefined;
    if (healthy) expect(await hub.polls.pollNow(healthy)).toMatchObject({ polled: { baseline: true, changes: 1 } });
  });

  it.each([
    ['a URL the callback guard refuses', { callbackPolicy: 'public-only' as const }, (url: string) => ({ poll: url }), /^source\.poll: .*refused by HUB_CALLBACK_POLICY=public-only/],
    [
      'a token endpoint the guard always refuses (cloud metadata)',
      {},
      (url: string) => ({ poll: url, auth: { type: 'oauth2', tokenUrl: 'http://169.254.169.254/token', clientId: 'c', clientSecret: 's' } }),
      /^source\.auth\.tokenUrl: .*169\.254\.169\.254/,
    ],
  ])('should refuse a topic whose poll source has %s at creation, storing nothing', async (_case, config, sourceOf, message) => {
    const hub = await setUp(config);
    const res = await hub.client.post(`${API}/topic`, { name: 'refused', source: { ...sourceOf(mock.url), interval: '1s' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BadRequest', '@type': 'Error', message: expect.stringMatching(message) });
    expect(JSON.stringify(res.body)).not.toContain('"s"');
    expect((await hub.client.get(`${API}/topic`)).body).toEqual([]);
    expect(mock.gets).toBe(0);
  });

  it('should clear lastError after a clean poll', async () => {
    const hub = await setUp();
    const id = await topic(hub, mock.url);
    await hub.polls.refresh();
    mock.fail = { status: 503 };
    await hub.polls.pollNow(id);
    mock.fail = undefined;
    expect(await hub.polls.pollNow(id)).toMatchObject({ polled: { baseline: true } });
    const shown = await hub.client.get(`${API}/topic/${id}`);
    expect(shown.body.source).not.toHaveProperty('lastError');
  });

  it('should show resources it left out in lastError while storing the others', async () => {
    const hub = await setUp();
    mock.orders = [productOrder('o1'), { state: 'no id' }];
    const id = await topic(hub, mock.url);
    await hub.polls.refresh();
    expect(await hub.polls.pollNow(id)).toMatchObject({ polled: { changes: 1, warnings: ['1 item(s) without a string id left out'] } });
    expect((await hub.client.get(`${API}/topic/${id}`)).body.source.lastError).toBe('1 item(s) without a string id left out');
  });
});
