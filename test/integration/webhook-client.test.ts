import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookClient } from '../../src/delivery/webhook-client';

/** A listener whose behaviour each test sets: the whole exchange must stay within the client's timeout. */
describe('webhook client', () => {
  let server: http.Server;
  let base: string;
  let handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const client = new WebhookClient({ connectionsPerOrigin: 4 });
  const open = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    server = http.createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const timer of open) clearInterval(timer);
    open.clear();
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, timeoutMs = 300) => client.post({ url: `${base}${path}`, body: '{"a":1}', headers: { 'content-type': 'application/json' }, timeoutMs });

  it('should post the body to the path and query, and return the status, Retry-After and the answer', async () => {
    let seen: { url?: string; body: string; type?: string } = { body: '' };
    handle = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { url: req.url, body, type: req.headers['content-type'] };
        res.writeHead(503, { 'retry-after': '7' }).end('busy');
      });
    };
    const result = await post('/cb/x?token=t', 10_000);
    expect(seen).toEqual({ url: '/cb/x?token=t', body: '{"a":1}', type: 'application/json' });
    expect(result).toMatchObject({ status: 503, retryAfter: '7', response: 'busy' });
  });

  it('should give up on a listener that never answers, at the timeout', async () => {
    handle = () => undefined;
    const result = await post('/silent');
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('timed out after 300 ms');
    expect(result.durationMs).toBeGreaterThanOrEqual(299);
  });

  it('should give up on a body that trickles past the timeout, though no gap between its bytes is long', async () => {
    handle = (_req, res) => {
      res.writeHead(200);
      // A byte every 50 ms for 10 s: no single wait reaches the timeout, the whole exchange does.
      const timer = setInterval(() => res.write('x'), 50);
      open.add(timer);
      res.on('close', () => clearInterval(timer));
    };
    const result = await post('/trickle');
    expect(result.error).toBe('timed out after 300 ms');
    // Well short of the 10 s the listener would take: the deadline is swept every 100 ms.
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('should report a refused connection and a URL it cannot request, without throwing', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await client.post({ url: `http://127.0.0.1:${port}/x`, body: '{}', headers: {}, timeoutMs: 1000 });
    expect(refused.error).toMatch(/ECONNREFUSED/);
    const invalid = await client.post({ url: 'not a url', body: '{}', headers: {}, timeoutMs: 1000 });
    expect(invalid.error).toBe('"not a url" is not an absolute URL');
  });
});
