import http from 'node:http';
import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import { CallbackGuard } from '../../src/delivery/callback-guard';
import { WebhookClient } from '../../src/delivery/webhook-client';
import { answerClientErrors } from '../../src/http/client-error';
import { createLogger } from '../../src/logger';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe('security', () => {
  let receiver: TestReceiver;
  const apps: TestApp[] = [];
  const start = async (options: Parameters<typeof buildTestApp>[0] = {}) => {
    const app = await buildTestApp(options);
    apps.push(app);
    return app;
  };

  beforeEach(async () => {
    receiver = await TestReceiver.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await receiver.close();
  });

  describe('signed deliveries', () => {
    it('should sign with Standard Webhooks so that standardwebhooks verifies it, and a tampered body fails', async () => {
      const hub = await start({ worker: {} });
      const t = (await hub.client.post(`${API}/topic`, { name: 'signed' })).body.id;
      const created = await hub.client.post(`${API}/topic/${t}/hub`, { callback: receiver.url('/signed'), secret: SECRET });
      expect(created.status).toBe(201);
      expect(created.body.secret).toBeUndefined();
      const event = (await hub.client.post(`${API}/topic/${t}/event`, { eventType: 'X', event: { n: 1 } })).body;
      const [req] = await pollUntil(async () => (receiver.requests.length ? receiver.requests : undefined), 5000, 'a signed delivery');
      expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const headers = {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      };
      const verifier = new Webhook(SECRET);
      expect(verifier.verify(req.body, headers)).toEqual(JSON.parse(req.body));
      expect((verifier.verify(req.body, headers) as { eventId: string }).eventId).toBe(event.eventId);
      const tampered = req.body.replace('"n":1', '"n":2');
      expect(tampered).not.toBe(req.body);
      expect(() => verifier.verify(tampered, headers)).toThrow();
      expect(() => new Webhook(`whsec_${Buffer.from('another-secret-0123456789').toString('base64')}`).verify(req.body, headers)).toThrow();
    });

    it('should sign with a plain-string secret as its UTF-8 bytes (standardwebhooks raw format)', async () => {
      const hub = await start({ worker: {} });
      const plain = 'a-plain-secret-of-some-length';
      await hub.client.post(`${API}/hub`, { callback: receiver.url('/plain'), secret: plain });
      await hub.client.post(`${API}/topic`, { name: 'announce' });
      const [req] = await pollUntil(async () => (receiver.requests.length ? receiver.requests : undefined), 5000, 'a TopicCreateEvent');
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h])]));
      expect((new Webhook(plain, { format: 'raw' }).verify(req.body, headers) as { eventType: string }).eventType).toBe('TopicCreateEvent');
    });

    it('should send no signature for a hub without a secret', async () => {
      const hub = await start({ worker: {} });
      const t = (await hub.client.post(`${API}/topic`, { name: 'unsigned' })).body.id;
      await hub.client.post(`${API}/topic/${t}/hub`, { callback: receiver.url('/unsigned') });
      await hub.client.post(`${API}/topic/${t}/event`, { eventType: 'X' });
      const [req] = await pollUntil(async () => (receiver.requests.length ? receiver.requests : undefined), 5000, 'a delivery');
      expect(req.headers['webhook-signature']).toBeUndefined();
    });

    it('should never show the secret: not on create, get, list, fields=secret, nor to a filter', async () => {
      const hub = await start();
      const t = (await hub.client.post(`${API}/topic`, { name: 's' })).body.id;
      const h = (await hub.client.post(`${API}/topic/${t}/hub`, { callback: receiver.url('/s'), secret: SECRET })).body;
      const l = (await hub.client.post(`${API}/hub`, { callback: receiver.url('/l'), secret: SECRET })).body;
      for (const path of [`${API}/topic/${t}/hub/${h.id}`, `${API}/topic/${t}/hub`, `${API}/topic/${t}/hub?fields=secret`, `${API}/hub/${l.id}`, `${API}/hub/${l.id}?fields=secret`]) {
        const res = await hub.client.get(path);
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(SECRET.slice(6, 20));
      }
      const probe = await hub.client.get(`${API}/topic/${t}/hub?secret=${encodeURIComponent(SECRET)}`);
      expect(probe.status).toBe(400);
      expect(probe.body.message).toBe('secret cannot be used in a filter: it is never shown');
      const deliveries = await hub.client.get(`${API}/topic/${t}/hub/${h.id}/delivery`);
      expect(JSON.stringify(deliveries.body)).not.toContain('secret');
    });

    it('should refuse a secret shorter than 16 characters', async () => {
      const hub = await start();
      const res = await hub.client.post(`${API}/hub`, { callback: receiver.url('/x'), secret: 'short' });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('secret');
    });
  });

  describe('callback guard', () => {
    it.each([
      ['http://169.254.169.254/latest/meta-data/', /link-local/],
      ['http://[fd00:ec2::254]/', /metadata/],
      ['http://[::ffff:169.254.169.254]/', /link-local/],
      ['ftp://listener.example/x', /scheme/],
      ['javascript:alert(1)', /scheme/],
    ])('should refuse to create a hub with callback %s, with a 400 saying why, in the default mode', async (callback, why) => {
      const hub = await start();
      const t = (await hub.client.post(`${API}/topic`, { name: 'g' })).body.id;
      const res = await hub.client.post(`${API}/topic/${t}/hub`, { callback });
      expect(res.status).toBe(400);
      expect(res.body.reason).toBe('Callback refused');
      expect(res.body.message).toMatch(why);
      const reg = await hub.client.post(`${API}/hub`, { callback });
      expect(reg.status).toBe(400);
      expect((await hub.client.get(`${API}/topic/${t}/hub`)).body).toEqual([]);
    });

    it('should refuse loopback callbacks at creation in public-only mode, literal or by name', async () => {
      const hub = await start({ config: { callbackPolicy: 'public-only' } });
      const t = (await hub.client.post(`${API}/topic`, { name: 'p' })).body.id;
      for (const callback of ['http://127.0.0.1:9/x', 'http://[::1]:9/x', 'http://10.1.2.3/x', 'http://localhost:9/x']) {
        const res = await hub.client.post(`${API}/topic/${t}/hub`, { callback });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/loopback|private/);
      }
    });

    it('should refuse at connect time a hostname that resolves to a refused address, and record why', async () => {
      // The hub was created while the name resolved elsewhere; now it resolves to loopback.
      const client = new WebhookClient({ guard: new CallbackGuard({ policy: 'public-only', allow: [] }) });
      try {
        const result = await client.post({ url: `http://localhost:${receiver.port}/rebound`, body: '{}', headers: {}, timeoutMs: 2000 });
        expect(result.status).toBeUndefined();
        expect(result.error).toMatch(/refused: localhost resolves to (127\.0\.0\.1|::1) is loopback/);
        const literal = await client.post({ url: `http://127.0.0.1:${receiver.port}/literal`, body: '{}', headers: {}, timeoutMs: 2000 });
        expect(literal.error).toMatch(/refused: 127\.0\.0\.1 is loopback/);
        expect(receiver.requests).toHaveLength(0);
      } finally {
        await client.close();
      }
      // The same client without public-only reaches the listener.
      const open = new WebhookClient({ guard: new CallbackGuard({ policy: 'private-allowed', allow: [] }) });
      try {
        expect((await open.post({ url: `http://localhost:${receiver.port}/ok`, body: '{}', headers: {}, timeoutMs: 2000 })).status).toBe(201);
      } finally {
        await open.close();
      }
    });
  });

  describe('API keys', () => {
    const KEY = 'k3y-0123456789abcdef';

    it('should answer 401 without a valid Bearer key, pass with one, keep /health open, and never log the key', async () => {
      const lines: string[] = [];
      const hub = await start({ config: { apiKeys: [KEY, 'second-key-0123456789'] }, logger: createLogger('debug', (l) => lines.push(l)) });
      const none = await hub.client.get(`${API}/topic`);
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="tmf688-hub"');
      expect(none.body.message).toContain('Authorization: Bearer');
      const wrong = await hub.client.get(`${API}/topic`, { Authorization: 'Bearer not-the-key-at-all-0000' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('The API key is not valid');
      expect((await hub.client.post(`${API}/topic`, { name: 'x' }, { Authorization: 'Basic abc' })).status).toBe(401);
      expect((await hub.client.get(`${API}/topic`)).status).toBe(401);
      expect((await hub.client.get(`${API}/topic`, { Authorization: `Bearer ${KEY}` })).status).toBe(200);
      expect((await hub.client.get(`${API}/topic`, { Authorization: 'bearer second-key-0123456789' })).status).toBe(200);
      expect((await hub.client.get('/health')).status).toBe(200);
      expect((await hub.client.get('/ready')).status).toBe(200);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(KEY);
      expect((await hub.client.post(`${API}/topic`, { name: 'x' })).status).toBe(401);
      expect((await hub.client.get(`${API}/topic`, { Authorization: `Bearer ${KEY}` })).body).toEqual([]);
    });
  });

  describe('hostile input', () => {
    let hub: TestApp;
    beforeEach(async () => {
      hub = await start();
    });

    it('should refuse a body nested deeper than 64 levels and store nothing', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 100; i++) deep = { a: deep };
      const res = await hub.client.post(`${API}/topic`, { name: 'deep', deep });
      expect(res.status).toBe(400);
      expect(res.body.reason).toBe('Body too deep');
      const veryDeep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
      const res2 = await hub.client.post(`${API}/topic`, veryDeep);
      expect(res2.status).toBe(400);
      expect((await hub.client.get(`${API}/topic`)).body).toEqual([]);
    });

    it('should store __proto__ and constructor keys as plain data, polluting nothing', async () => {
      const body = '{"name":"proto","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
      const res = await hub.client.post(`${API}/topic`, body);
      expect(res.status).toBe(201);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const got = await hub.client.get(`${API}/topic/${res.body.id}`);
      expect(Object.keys(got.body)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
      expect(JSON.parse(JSON.stringify(got.body)).__proto__).toEqual({ polluted: 'yes' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each(['__proto__=', '__proto__=x', 'constructor=x', 'constructor.prototype.x=1', '__proto__=a&__proto__=b'])(
      'should treat the query %s as a plain attribute filter, never a 5xx',
      async (query) => {
        await hub.client.post(`${API}/topic`, { name: 'plain' });
        for (const path of [`${API}/topic`, `${API}`]) {
          const res = await hub.client.get(`${path}?${query}`);
          expect(res.status).toBeLessThan(500);
        }
        const list = await hub.client.get(`${API}/topic?${query}`);
        expect(list.status).toBe(200);
        expect(list.body).toEqual([]);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      },
    );

    it.each([
      ['offset=99999999999999999999', 'offset'],
      ['limit=2147483648', 'limit'],
      ['offset=1.5', 'offset'],
    ])('should answer 400 for out-of-range paging %s', async (query, name) => {
      const res = await hub.client.get(`${API}/topic?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(name);
    });

    it.each([`${API}/topic/%`, `${API}/hub/%zz/delivery`, `${API}/topic/%E0%A4%A/event`])('should answer 400 for the malformed percent-encoding in %s', async (path) => {
      const res = await hub.client.get(path);
      expect(res.status).toBe(400);
      expect(res.body.reason).toBe('Malformed path');
    });

    it.each([
      ['offset=0.0', 'offset must be an integer written in digits, got "0.0"'],
      ['limit=1e1', 'limit must be an integer written in digits, got "1e1"'],
      ['offset=%2B1', 'offset must be an integer written in digits, got "+1"'],
    ])('should answer 400 for the paging value %s that is an integer only once coerced, on every list', async (query, message) => {
      const topicId = (await hub.client.post(`${API}/topic`, { name: 'paging' })).body.id;
      for (const list of ['/topic', `/topic/${topicId}/event`, `/topic/${topicId}/hub`, '/inbox/x', '/schema']) {
        const res = await hub.client.get(`${API}${list}?${query}`);
        expect({ list, status: res.status, message: res.body.message }).toEqual({ list, status: 400, message });
      }
    });

    it.each(['limit=', 'limit=%20', 'offset='])('should answer 400 for the blank paging value %s', async (query) => {
      const res = await hub.client.get(`${API}/topic?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/empty value|must be integer/);
    });

    it('should answer fields= with __proto__ and constructor paths as plain data, polluting nothing', async () => {
      await hub.client.post(`${API}/topic`, '{"name":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
      for (const fields of ['__proto__.polluted', 'constructor.prototype.polluted', '__proto__', 'constructor']) {
        const res = await hub.client.get(`${API}/topic?fields=${fields}`);
        expect(res.status).toBe(200);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
      const again = await hub.client.get(`${API}/topic`);
      expect(again.status).toBe(200);
      expect(again.body).toHaveLength(1);
    });

    it('should answer 414 for a query string over 4096 characters', async () => {
      const res = await hub.client.get(`${API}/topic?name=${'x'.repeat(5000)}`);
      expect(res.status).toBe(414);
      expect(res.body.code).toBe('URITooLong');
    });

    it.each(['(a+)+$', '(a|a)*b', '([a-z]+)*x', 'x(.*a){1,}'])('should refuse the backtracking regex %s in filters and hub queries', async (regex) => {
      const list = await hub.client.get(`${API}/topic?name.regex=${encodeURIComponent(regex)}`);
      expect(list.status).toBe(400);
      expect(list.body.message).toContain('backtrack');
      const t = (await hub.client.post(`${API}/topic`, { name: 'r' })).body.id;
      const h = await hub.client.post(`${API}/topic/${t}/hub`, { callback: 'http://l.example/x', query: `eventType.regex=${encodeURIComponent(regex)}` });
      expect(h.status).toBe(400);
    });

    it('should answer a request line over the HTTP parser limit with a 431 TMF Error', async () => {
      const server = http.createServer(hub.app.callback());
      answerClientErrors(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as net.AddressInfo;
        const raw = await new Promise<string>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.write(`GET ${API}/topic?name=${'y'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
          });
          let data = '';
          socket.on('data', (chunk) => (data += chunk.toString()));
          socket.on('end', () => resolve(data));
          socket.on('error', reject);
        });
        expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
        const body = JSON.parse(raw.split('\r\n\r\n')[1]);
        expect(body).toMatchObject({ code: 'RequestHeaderFieldsTooLarge', status: '431', '@type': 'Error' });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
