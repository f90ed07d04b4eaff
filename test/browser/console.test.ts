import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { listenOnLoopback, type Listening as Served } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';

/**
 * The console at /console in a real headless Chromium, against a real hub on a real port: topics,
 * hub health and the attempt log (with a real listener), the live tail over SSE, the inbox, API
 * keys, and /docs. Any console error or page error fails the test.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env.HUB_BROWSER_TEST === 'required';
if (!available && !required) {
  console.log(`Skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium; CI sets HUB_BROWSER_TEST=required).`);
}
const suite = available || required ? describe : describe.skip;

const WAIT = 15_000;
jest.setTimeout(60_000);

interface Listening {
  hub: TestApp;
  served: Served;
  base: string;
  /** Cuts the open live-tail connections, as a proxy or a network drop would. */
  dropStreams(): number;
  /** The Last-Event-ID header of every live-tail request, in order ('' when absent). */
  streamRequests: string[];
}

async function listen(hub: TestApp): Promise<Listening> {
  const served = await listenOnLoopback(hub.app);
  const streams = new Set<Socket>();
  const streamRequests: string[] = [];
  served.server.on('request', (req: IncomingMessage) => {
    if (!req.url?.includes('/event/stream')) return;
    streamRequests.push(String(req.headers['last-event-id'] ?? ''));
    streams.add(req.socket);
    req.socket.once('close', () => streams.delete(req.socket));
  });
  const dropStreams = () => {
    const count = streams.size;
    for (const socket of streams) socket.destroy();
    return count;
  };
  return { hub, served, base: served.origin, dropStreams, streamRequests };
}

async function close({ hub, served }: Listening): Promise<void> {
  await served.close();
  await hub.stop();
}

suite('web console (headless Chromium)', () => {
  let browser: Browser;
  let receiver: TestReceiver;
  let open: Listening;
  let keyed: Listening;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!available) {
      throw new Error(`HUB_BROWSER_TEST=required but ${CHROMIUM} does not exist: install it with apt-get install -y chromium`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    receiver = await TestReceiver.start();
    open = await listen(await buildTestApp({ worker: {} }));
    keyed = await listen(await buildTestApp({ worker: {}, config: { apiKeys: ['k1'] } }));
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of [open, keyed]) if (server) await close(server);
    await receiver?.close();
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  /** A fresh browser tab on `url`, recording every console error and uncaught page error. */
  async function openPage(url: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(url);
    return { page, problems };
  }

  const byTestId = (id: string) => `[data-testid="${id}"]`;

  async function createTopic(name: string, on = open, headers: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${on.base}${API}/topic`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ name }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  async function publish(topicId: string, body: Record<string, unknown>, on = open, headers: Record<string, string> = {}) {
    const res = await fetch(`${on.base}${API}/topic/${topicId}/event`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; eventId: string };
  }

  it('should show the topic and put an event published after the page loaded into the live tail', async () => {
    const topicId = await createTopic('orders-live');
    const { page, problems } = await openPage(`${open.base}/console/`);
    await page.click(`${byTestId('topic-item')}[data-topic-id="${topicId}"]`);
    await page.waitForSelector(`${byTestId('topic-title')}:has-text("orders-live")`);
    await page.click(byTestId('tab-tail'));
    await page.waitForSelector(`${byTestId('tail-state')}[data-state="open"]`);

    const event = await publish(topicId, { eventId: 'live-1', eventType: 'ProductOrderCreateEvent', event: { productOrder: { id: 'PO-9' } } });
    const item = await page.waitForSelector(`${byTestId('tail-event')}[data-event-id="live-1"]`);
    expect(await item.textContent()).toContain('ProductOrderCreateEvent');
    expect(await item.getAttribute('data-id')).toBe(event.id);
    // The stored events of the topic are listed too.
    await page.click(byTestId('recent-refresh'));
    await page.waitForSelector(`${byTestId('recent-event')}[data-event-id="live-1"]`);
    expect(await page.isHidden(byTestId('error-message'))).toBe(true);
    expect(problems).toEqual([]);
  });

  it("should show a topic's source whatever the broker, with the lag /ready reports or why there is none", async () => {
    // NATS and MQTT bridges on a port nothing listens on: their sources are shown, and their state stands in for the lag.
    const sourced = await listen(await buildTestApp({ worker: {}, config: { natsUrl: 'nats://127.0.0.1:9', mqttUrl: 'mqtt://127.0.0.1:9' } }));
    try {
      for (const [name, source, shown] of [
        ['alarms-nats', { nats: 'network.alarms' }, 'nats:network.alarms (tmf)'],
        ['alarms-mqtt', { mqtt: 'network/+/alarms', format: 'cloudevents' }, 'mqtt:network/+/alarms (cloudevents)'],
      ] as const) {
        const res = await fetch(`${sourced.base}${API}/topic`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, source }) });
        expect(res.status).toBe(201);
        const topicId = ((await res.json()) as { id: string }).id;
        const { page, problems } = await openPage(`${sourced.base}/console/`);
        await page.click(`${byTestId('topic-item')}[data-topic-id="${topicId}"]`);
        await page.waitForSelector(`${byTestId('topic-title')}:has-text("${name}")`);
        await page.waitForSelector(`dd:has-text("${shown}")`);
        expect(await page.textContent(byTestId('source-lag'))).toMatch(/^not reported by this process \((idle|connecting|crashed)\)$/);
        expect(problems).toEqual([]);
      }
    } finally {
      await close(sourced);
    }
  });

  it("should show a poll source, its last poll and how many latest states the topic holds", async () => {
    const mock = await Tmf622Mock.start();
    mock.orders = [productOrder('o1'), productOrder('o2')];
    const served = await listen(await buildTestApp());
    try {
      const res = await fetch(`${served.base}${API}/topic`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'orders-polled', source: { poll: mock.url, interval: '10s', resourceType: 'ProductOrder' } }),
      });
      const topicId = ((await res.json()) as { id: string }).id;
      await served.hub.polls.refresh();
      await served.hub.polls.pollNow(topicId);
      const { page, problems } = await openPage(`${served.base}/console/`);
      await page.click(`${byTestId('topic-item')}[data-topic-id="${topicId}"]`);
      await page.waitForSelector(`dd:has-text("poll ${mock.url} every 10s (ProductOrder)")`);
      expect(await page.textContent(byTestId('state-count'))).toBe('2 latest states');
      expect(await page.isVisible('dt:has-text("last poll")')).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close(served);
      await mock.close();
    }
  });

  it('should resume the live tail with Last-Event-ID after the connection drops', async () => {
    const topicId = await createTopic('orders-resume');
    const { page, problems } = await openPage(`${open.base}/console/#topic=${topicId}&tab=tail`);
    await page.waitForSelector(`${byTestId('tail-state')}[data-state="open"]`);
    const first = await publish(topicId, { eventId: 'before-drop', eventType: 'AlarmCreateEvent' });
    await page.waitForSelector(`${byTestId('tail-event')}[data-event-id="before-drop"]`);

    const requestsBefore = open.streamRequests.length;
    expect(open.dropStreams()).toBeGreaterThan(0);
    // Published while the console is disconnected: only a resume from Last-Event-ID brings it.
    await publish(topicId, { eventId: 'during-drop', eventType: 'AlarmClearEvent' });
    await page.waitForSelector(`${byTestId('tail-event')}[data-event-id="during-drop"]`);
    expect(open.streamRequests.slice(requestsBefore)).toContain(first.id);
    await page.waitForSelector(`${byTestId('tail-state')}[data-state="open"]`);
    expect(await page.$$(`${byTestId('tail-event')}[data-event-id="before-drop"]`)).toHaveLength(1);
    // Chromium logs the cut response as a failed load; anything else is a problem.
    expect(problems.filter((p) => !/ERR_INCOMPLETE_CHUNKED_ENCODING .*\/event\/stream/.test(p))).toEqual([]);
  });

  it('should filter the live tail with a hub query', async () => {
    const topicId = await createTopic('orders-filter');
    const { page, problems } = await openPage(`${open.base}/console/#topic=${topicId}&tab=tail`);
    await page.waitForSelector(`${byTestId('tail-state')}[data-state="open"]`);
    await page.fill(byTestId('tail-query'), 'eventType=AlarmCreateEvent');
    await page.click(byTestId('tail-apply'));
    await page.waitForSelector(`${byTestId('tail-state')}[data-state="open"]`);
    await publish(topicId, { eventId: 'filtered-out', eventType: 'AlarmClearEvent' });
    await publish(topicId, { eventId: 'filtered-in', eventType: 'AlarmCreateEvent' });
    await page.waitForSelector(`${byTestId('tail-event')}[data-event-id="filtered-in"]`);
    // Events arrive in order, so the one before it would be there by now had it matched.
    expect(await page.$$(`${byTestId('tail-event')}[data-event-id="filtered-out"]`)).toHaveLength(0);
    expect(problems).toEqual([]);
  });

  it('should show the reason of an API error to the user', async () => {
    const { page, problems } = await openPage(`${open.base}/console/#topic=no-such-topic&tab=hubs`);
    await page.waitForSelector(`${byTestId('error-message')}:has-text("404")`);
    expect(await page.textContent(byTestId('error-message'))).toContain('Topic no-such-topic does not exist');
    await page.waitForSelector(`${byTestId('topic-heading')}:has-text("No topic selected")`);
    // One failed read (Chromium logs it), and nothing else.
    expect(problems).toEqual([expect.stringMatching(/status of 404 .*\/topic\/no-such-topic\)$/)]);
  });

  it('should parse the event-stream format as EventSource does, however it is chunked', async () => {
    const { page, problems } = await openPage(`${open.base}/console/`);
    const chunks = ['\uFEFFid: 1\r', '\ndata: a\r\ndata:  b\r\n\r', '\n: heartbeat\n\nretry: 500\n', 'data:c\n\nid: 2\nevent: custom\ndata: {"k":', '1}\n\nid\ndata\n\ndata: no end'];
    // A string, not a function: TypeScript would compile a function's import() to require().
    const parsed = await page.evaluate(`(async (input) => {
      const { SseParser } = await import('./sse.js');
      const messages = [];
      const retries = [];
      const parser = new SseParser((m) => messages.push(m), (ms) => retries.push(ms));
      for (const chunk of input) parser.feed(chunk);
      return { messages, retries };
    })(${JSON.stringify(chunks)})`);
    expect(parsed).toEqual({
      messages: [
        { type: 'message', data: 'a\n b', id: '1' },
        { type: 'message', data: 'c', id: '1' },
        { type: 'custom', data: '{"k":1}', id: '2' },
        { type: 'message', data: '', id: '' },
      ],
      retries: [500],
    });
    expect(problems).toEqual([]);
  });

  it('should show a delivered attempt in the hub health and the attempt log, and redeliver it', async () => {
    const topicId = await createTopic('orders-delivery');
    const hubRes = await open.hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/console-hub') });
    const hubId = hubRes.body.id as string;
    await publish(topicId, { eventId: 'delivered-1', eventType: 'ProductOrderStateChangeEvent', event: { productOrder: { id: 'PO-1', state: 'completed' } } });
    await pollUntil(async () => (receiver.requestsTo('/console-hub').length >= 1 ? true : undefined), WAIT, 'the first delivery');
    await pollUntil(async () => {
      const res = await open.hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/delivery?status=delivered`);
      return res.body.length === 1 ? true : undefined;
    }, WAIT, 'the delivery to be recorded as delivered');

    const { page, problems } = await openPage(`${open.base}/console/#topic=${topicId}&tab=hubs`);
    const row = `${byTestId('hub-row')}[data-hub-id="${hubId}"]`;
    await page.waitForSelector(`${row} ${byTestId('hub-delivered')}:text-is("1")`);
    expect(await page.textContent(`${row} ${byTestId('hub-pending')}`)).toBe('0');
    expect(await page.textContent(`${row} ${byTestId('hub-dead')}`)).toBe('0');
    await page.waitForSelector(`${row} ${byTestId('hub-latest')} [data-outcome="delivered"]`);

    await page.click(`${row} ${byTestId('hub-open-log')}`);
    const delivery = `${byTestId('delivery')}[data-status="delivered"][data-event-id="delivered-1"]`;
    await page.waitForSelector(`${delivery} ${byTestId('attempt')}[data-outcome="delivered"]`);
    expect(await page.textContent(`${delivery} ${byTestId('attempt')}`)).toContain('201');

    await page.click(`${delivery} ${byTestId('redeliver')}`);
    await page.waitForSelector(`${byTestId('notice')}:has-text("queued again")`);
    await pollUntil(async () => (receiver.requestsTo('/console-hub').length >= 2 ? true : undefined), WAIT, 'the redelivery');
    expect(await page.isHidden(byTestId('error-message'))).toBe(true);
    expect(problems).toEqual([]);
  });

  it('should chart the last hour of a hub: a point per minute, with the burst of deliveries and failures in the last one', async () => {
    // Every third event's first attempt fails (its retry succeeds): a burst of 9 deliveries with 3 failures.
    const flaky = await TestReceiver.start((req) => {
      const n = Number(String(JSON.parse(req.body).eventId).split('-')[1]);
      return { status: req.headers['webhook-attempt'] === '1' && n % 3 === 0 ? 503 : 201 };
    });
    try {
      const topicId = await createTopic('orders-chart');
      const hubId = (await open.hub.client.post(`${API}/topic/${topicId}/hub`, { callback: flaky.url('/chart') })).body.id as string;
      for (let i = 0; i < 9; i++) await publish(topicId, { eventId: `chart-${i}`, eventType: 'ProductOrderCreateEvent' });
      const stats = await pollUntil(async () => {
        const res = await open.hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/stats`);
        return res.body.delivered === 9 ? res.body : undefined;
      }, WAIT, 'nine delivered attempts');
      expect(stats.failed).toBe(3);
      expect(stats.points).toHaveLength(60);

      const { page, problems } = await openPage(`${open.base}/console/#topic=${topicId}&tab=hubs`);
      const chart = `${byTestId('hub-row')}[data-hub-id="${hubId}"] ${byTestId('hub-chart')}`;
      await page.waitForSelector(`${chart}[data-delivered="9"][data-failed="3"]`);
      expect(await page.getAttribute(chart, 'data-points')).toBe('60');
      for (const series of ['delivered', 'failed', 'p50', 'p99']) {
        expect(await page.$$eval(`${chart} circle[data-series="${series}"]`, (dots) => dots.length)).toBe(60);
      }
      // The burst sits in the last minute or two (it may straddle a minute boundary): the points add up to it.
      const delivered = await page.$$eval(`${chart} circle[data-series="delivered"]`, (dots) => dots.map((d) => Number(d.getAttribute('data-value') || 0)));
      const failed = await page.$$eval(`${chart} circle[data-series="failed"]`, (dots) => dots.map((d) => Number(d.getAttribute('data-value') || 0)));
      expect(delivered.reduce((a, b) => a + b, 0)).toBe(9);
      expect(failed.reduce((a, b) => a + b, 0)).toBe(3);
      expect(delivered.slice(0, 58).every((n) => n === 0)).toBe(true);
      expect(await page.$eval(`${chart} polyline`, (line) => line.getAttribute('points')!.split(' ').length)).toBe(60);
      expect(problems).toEqual([]);
    } finally {
      await flaky.close();
    }
  });

  it('should show dead deliveries with their failed attempts', async () => {
    const failing = await TestReceiver.start(() => ({ status: 500, body: 'listener broken' }));
    try {
      const topicId = await createTopic('orders-dead');
      const hubRes = await open.hub.client.post(`${API}/topic/${topicId}/hub`, { callback: failing.url('/broken') });
      const hubId = hubRes.body.id as string;
      await publish(topicId, { eventId: 'dead-1', eventType: 'ProductOrderCreateEvent' });
      await pollUntil(async () => {
        const res = await open.hub.client.get(`${API}/topic/${topicId}/hub/${hubId}/delivery?status=dead`);
        return res.body.length === 1 ? true : undefined;
      }, WAIT, 'the delivery to die');

      const { page, problems } = await openPage(`${open.base}/console/#topic=${topicId}&tab=hubs`);
      const row = `${byTestId('hub-row')}[data-hub-id="${hubId}"]`;
      await page.waitForSelector(`${row} ${byTestId('hub-dead')}:has-text("1")`);
      await page.waitForSelector(`${row} ${byTestId('hub-latest')} [data-outcome="failed"]`);
      await page.click(`${row} ${byTestId('hub-open-log')}`);
      const delivery = `${byTestId('delivery')}[data-status="dead"][data-event-id="dead-1"]`;
      await page.waitForSelector(delivery);
      const attempts = await page.$$(`${delivery} ${byTestId('attempt')}[data-outcome="failed"]`);
      expect(attempts.length).toBe(3);
      expect(await attempts[0].textContent()).toContain('500');
      expect(await attempts[0].textContent()).toContain('listener broken');
      expect(await page.$(`${delivery} ${byTestId('redeliver')}`)).not.toBeNull();
      expect(problems).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  it('should list what reached an inbox, as text, and clear it', async () => {
    const { page, problems } = await openPage(`${open.base}/console/#tab=inbox&inbox=browser-test`);
    await page.waitForSelector(`${byTestId('inbox-summary')}:has-text("0 received")`);
    expect(await page.inputValue(byTestId('inbox-name'))).toBe('browser-test');

    // Notifications are untrusted input: markup in them must show up as text, never as elements.
    const hostile = '<img src=x onerror=window.pwned=1>';
    const res = await fetch(`${open.base}${API}/inbox/browser-test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ eventId: 'inbox-1', eventType: 'AlarmCreateEvent', event: { alarm: { id: 'A-1', note: hostile } } }),
    });
    expect(res.status).toBe(201);
    await page.click(byTestId('inbox-refresh'));
    const entry = await page.waitForSelector(`${byTestId('inbox-entry')}:has-text("inbox-1")`);
    expect(await entry.textContent()).toContain(hostile);
    expect(await page.$$(`${byTestId('inbox-list')} img`)).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();

    await page.click(byTestId('inbox-clear'));
    await page.waitForSelector(`${byTestId('inbox-summary')}:has-text("0 received")`);
    expect(await page.$$(byTestId('inbox-entry'))).toHaveLength(0);

    // The spec's client-side listener endpoints have their own inboxes.
    const listener = await fetch(`${open.base}${API}/listener/topicCreateEvent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ eventId: 'listener-1', eventType: 'TopicCreateEvent', event: { topic: { id: 't1', name: 'x' } } }),
    });
    expect(listener.status).toBe(201);
    await page.click(byTestId('inbox-pick-topicCreateEvent'));
    await page.waitForSelector(`${byTestId('inbox-entry')}:has-text("listener-1")`);
    expect(problems).toEqual([]);
  });

  it('should show the event types, a version as formatted JSON, and the latest validation failures', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${open.base}${API}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const v1 = { type: 'object', properties: { event: { type: 'object', properties: { shipmentId: { type: 'string' } } } } };
    const v2 = structuredClone(v1);
    (v2.properties.event.properties as Record<string, unknown>).carrier = { type: 'string' };
    expect((await post('/schema/BrowserShippedEvent', v1)).status).toBe(201);
    expect((await post('/schema/BrowserShippedEvent', v2)).status).toBe(201);
    const topic = await post('/topic', { name: 'browser-schemas', schemaValidation: 'warn' });
    const warned = await post(`/topic/${topic.body.id}/event`, { eventId: 'schema-1', eventType: 'BrowserShippedEvent', event: { shipmentId: 42 } });
    expect(warned.status).toBe(201);

    const { page, problems } = await openPage(`${open.base}/console/#tab=schemas`);
    const type = await page.waitForSelector(`${byTestId('schema-type')}:has-text("BrowserShippedEvent")`);
    expect(await type.textContent()).toContain('latest version 2');
    await type.click();
    await page.waitForSelector(`${byTestId('schema-title')}:has-text("BrowserShippedEvent version 2")`);
    const json = await page.textContent(byTestId('schema-json'));
    expect(JSON.parse(json ?? '')).toEqual(v2);
    expect(json).toContain('\n  "properties": {\n'); // formatted, not one line
    const failure = await page.waitForSelector(`${byTestId('schema-failure')}:has-text("schema-1")`);
    expect(await failure.textContent()).toContain('$.event.shipmentId');
    expect(await failure.textContent()).toContain('warn: accepted');

    await page.selectOption(byTestId('schema-version'), '1');
    await page.waitForSelector(`${byTestId('schema-title')}:has-text("BrowserShippedEvent version 1")`);
    expect(JSON.parse((await page.textContent(byTestId('schema-json'))) ?? '')).toEqual(v1);
    expect(problems).toEqual([]);
  });

  it('should ask for the API key on a 401, then work with it, live tail included', async () => {
    const auth = { Authorization: 'Bearer k1' };
    const topicId = await createTopic('orders-keyed', keyed, auth);
    const { page, problems } = await openPage(`${keyed.base}/console/`);
    await page.waitForSelector(`${byTestId('auth-message')}:has-text("requires an API key")`);
    expect(await page.$$(byTestId('topic-item'))).toHaveLength(0);

    await page.fill(byTestId('api-key'), 'k1');
    await page.click(byTestId('api-key-save'));
    await page.waitForSelector(`${byTestId('topic-item')}[data-topic-id="${topicId}"]`);
    expect(await page.isHidden(byTestId('auth-message'))).toBe(true);

    await page.click(`${byTestId('topic-item')}[data-topic-id="${topicId}"]`);
    await page.click(byTestId('tab-tail'));
    await page.waitForSelector(`${byTestId('tail-state')}[data-state="open"]`);
    await publish(topicId, { eventId: 'keyed-1', eventType: 'AlarmCreateEvent' }, keyed, auth);
    await page.waitForSelector(`${byTestId('tail-event')}[data-event-id="keyed-1"]`);

    // A wrong key is refused with a clear message, not an error.
    await page.fill(byTestId('api-key'), 'wrong');
    await page.click(byTestId('api-key-save'));
    await page.waitForSelector(`${byTestId('auth-message')}:has-text("API key was refused")`);
    expect(await page.isHidden(byTestId('error-message'))).toBe(true);

    // Chromium logs every 4xx answer as "Failed to load resource"; the 401s are expected here.
    expect(problems.filter((p) => !/Failed to load resource: the server responded with a status of 401/.test(p))).toEqual([]);
  });

  it('should render the OpenAPI document at /docs', async () => {
    const { page, problems } = await openPage(`${open.base}/docs`);
    await page.waitForSelector('.swagger-ui .info .title:has-text("TMF688")');
    await page.waitForSelector('.opblock-summary-path:has-text("/topic/{topicId}/event")');
    expect(problems).toEqual([]);
  });
});
