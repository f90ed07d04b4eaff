import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ThreadedWebhookClient, webhookThreadEntry } from '../../src/delivery/threaded-webhook-client';
import { PROJECT_ROOT } from '../../src/paths';

/** The compiled thread (npm install builds dist): a worker thread cannot load the TypeScript sources. */
const ENTRY = webhookThreadEntry(join(PROJECT_ROOT, 'dist', 'delivery'));

/**
 * HUB_DELIVERY_THREAD: plain deliveries' requests made by a worker thread, answered in the order the
 * listener answers, under the same guard and deadline as in the hub's thread; a thread that stops
 * fails the attempts it held, and the next request starts another.
 */
describe('threaded webhook client', () => {
  let server: http.Server;
  let base: string;
  let handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const errors: unknown[] = [];
  const logger = { error: (message: string, fields?: unknown) => errors.push([message, fields]) };
  const clients: ThreadedWebhookClient[] = [];
  const newClient = (policy: 'private-allowed' | 'public-only' = 'private-allowed') => {
    const client = new ThreadedWebhookClient(ENTRY!, { guard: { policy, allow: [] }, connectionsPerOrigin: 8 }, logger);
    clients.push(client);
    return client;
  };
  const post = (client: ThreadedWebhookClient, path: string, body = '{"a":1}', timeoutMs = 5000) =>
    client.post({ url: `${base}${path}`, body, headers: { 'content-type': 'application/json', 'x-n': path }, timeoutMs });

  beforeAll(async () => {
    expect(ENTRY).toBeDefined();
    server = http.createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (errors.length = 0));
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Answers with what it received: the path, a header and the body. */
  const echo = (status = 200) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.writeHead(status, { 'retry-after': '3' }).end(`${req.url}|${req.headers['x-n']}|${body}`));
  };

  it('should post each request and give each its own answer, many at once', async () => {
    handle = echo(202);
    const client = newClient();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => post(client, `/cb/${i}`, `{"i":${i}}`)));
    results.forEach((result, i) => {
      expect(result).toMatchObject({ status: 202, retryAfter: '3', response: `/cb/${i}|/cb/${i}|{"i":${i}}` });
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
    });
    expect(errors).toEqual([]);
  });

  it('should apply the callback guard in the thread', async () => {
    handle = echo();
    const result = await post(newClient('public-only'), '/guarded');
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/^refused: .*loopback/);
  });

  it('should cut a listener that does not answer at the deadline', async () => {
    handle = () => undefined;
    const result = await post(newClient(), '/silent', '{}', 300);
    expect(result).toMatchObject({ error: 'timed out after 300 ms' });
  });

  it('should fail the attempts in flight when the thread stops, say so, and start another for the next request', async () => {
    const client = newClient();
    handle = echo();
    expect((await post(client, '/first')).status).toBe(200);
    handle = () => undefined;
    const held = post(client, '/held');
    // Once the request has reached the listener, end the thread under it.
    await new Promise<void>((resolve) => server.once('request', () => resolve()));
    await (client['worker'] as { thread: Worker }).thread.terminate();
    const result = await held;
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/^the delivery thread stopped \(exit code \d+\) before the listener answered$/);
    expect(errors).toEqual([['the delivery thread stopped; its attempts in flight count as failed', { code: expect.any(Number), attempts: 1 }]]);
    handle = echo();
    expect(await post(client, '/after')).toMatchObject({ status: 200, response: '/after|/after|{"a":1}' });
  });

  it('should let requests in flight finish on close, then refuse new ones', async () => {
    const client = newClient();
    handle = (req, res) => setTimeout(() => echo()(req, res), 200);
    const inFlight = post(client, '/slow');
    await new Promise<void>((resolve) => server.once('request', () => resolve()));
    await client.close();
    expect(await inFlight).toMatchObject({ status: 200, response: '/slow|/slow|{"a":1}' });
    expect(await post(client, '/late')).toEqual({ error: 'the hub is stopping', durationMs: 0 });
    expect(errors).toEqual([]);
  });
});
