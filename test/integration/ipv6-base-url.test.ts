import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { listenOnLoopback, type Listening } from '../helpers/listen';
import { pollUntil } from '../helpers/poll';
import { openSse, type SseConnection } from '../helpers/sse-client';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { openWs, type WsConnection } from '../helpers/ws-client';

/** Whether this machine can listen on ::1, asked in a child process: jest chooses describe blocks synchronously. */
function hasIpv6Loopback(): boolean {
  const probe = "const s = require('node:net').createServer(); s.once('error', () => process.exit(1)); s.listen(0, '::1', () => s.close());";
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const IPV6 = hasIpv6Loopback();
const describeIpv6 = IPV6 ? describe : describe.skip;

/** Every href in a JSON answer (nested ones included), with where it was found. */
function hrefsIn(value: unknown, where: string): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((item, i) => hrefsIn(item, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'href' && typeof inner === 'string' ? [[`${where}.href`, inner] as [string, string]] : hrefsIn(inner, `${where}.${key}`),
  );
}

describeIpv6(
  IPV6 ? 'a hub listening on HOST=::1' : 'a hub listening on HOST=::1 (SKIPPED: this machine has no IPv6 loopback; net.createServer().listen(0, "::1") fails)',
  () => {
    let hub: TestApp;
    let served: Listening;
    /** Every href and Location the hub returned, with where. */
    const returned: Array<[string, string]> = [];
    const open: Array<SseConnection | WsConnection> = [];

    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${served.origin}${API}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as any;
      expect({ path, status: res.status }).toEqual({ path, status: method === 'POST' ? 201 : 200 });
      const location = res.headers.get('location');
      if (location) returned.push([`${method} ${path} Location`, location]);
      returned.push(...hrefsIn(json, `${method} ${path}`));
      return json;
    };

    beforeAll(async () => {
      hub = await buildTestApp({ config: { host: '::1' }, worker: {}, stream: { heartbeatMs: 100 } });
      served = await listenOnLoopback(hub.app, hub, '::1');
    });

    afterAll(async () => {
      for (const conn of open) conn.close();
      await served.close();
      await hub.stop();
    });

    it('should return only valid absolute URLs on [::1] as every href and Location', async () => {
      const topic = await call('POST', '/topic', { name: 'v6' });
      const sse = await openSse(`${served.origin}${API}/topic/${topic.id}/event/stream`);
      const ws = await openWs(`${served.origin}${API}/topic/${topic.id}/event/stream`);
      const cloudEvents = await openWs(`${served.origin}${API}/topic/${topic.id}/event/stream`, { protocols: ['cloudevents.json'] });
      open.push(sse, ws, cloudEvents);
      await call('GET', '/topic');
      await call('GET', `/topic/${topic.id}`);
      const topicHub = await call('POST', `/topic/${topic.id}/hub`, { callback: `${served.origin}${API}/inbox/v6` });
      await call('GET', `/topic/${topic.id}/hub`);
      await call('GET', `/topic/${topic.id}/hub/${topicHub.id}`);
      const listener = await call('POST', '/hub', { callback: 'http://listener.example/x' });
      await call('GET', `/hub/${listener.id}`);
      const event = await call('POST', `/topic/${topic.id}/event`, { eventType: 'OrderCreate', event: { order: { id: 'o1' } } });
      await call('GET', `/topic/${topic.id}/event`);
      await call('GET', `/topic/${topic.id}/event/${event.id}`);
      // Delivered to the hub's own inbox: the notification and the delivery records carry hrefs too.
      const delivered = async () => ((await (await fetch(`${served.origin}${API}/inbox/v6`)).json()) as unknown[]).length > 0;
      await pollUntil(async () => ((await delivered()) ? true : undefined), 5000, 'the delivery', 20);
      await call('GET', '/inbox/v6');
      await call('GET', `/topic/${topic.id}/hub/${topicHub.id}/delivery`);
      const [sent] = await sse.waitForMessages(1);
      returned.push(...hrefsIn(sent.json, 'SSE frame'));
      returned.push(...hrefsIn(await ws.waitForFrames(1), 'WebSocket frame'));
      const [cloudEvent] = await cloudEvents.waitForFrames(1);
      returned.push(['CloudEvents frame source', cloudEvent.source], ...hrefsIn(cloudEvent.data, 'CloudEvents frame data'));

      const labels = new Set(returned.map(([where]) => where.split(/[.[]/)[0]));
      expect(labels.size).toBeGreaterThanOrEqual(17);
      for (const [where, url] of returned) {
        const host = URL.canParse(url) ? new URL(url).host : `unparseable: ${url}`;
        expect({ where, host }).toEqual({ where, host: `[::1]:${served.port}` });
      }
    });

    it('should build hrefs from a Host header [::1]:port, and from the socket for a request without one (HTTP/1.0)', async () => {
      const { id } = await call('POST', '/topic', { name: 'named' });
      const withHost = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '::1', port: served.port, path: `${API}/topic/${id}`, headers: { Host: `[::1]:${served.port}` } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve(body));
          })
          .on('error', reject);
      });
      expect(JSON.parse(withHost).href).toBe(`http://[::1]:${served.port}${API}/topic/${id}`);
      // Written, not ended: a half-closed request can be dropped before a slower store answers. An
      // HTTP/1.0 answer ends with the server closing the connection, which ends the loop below.
      const socket = net.connect(served.port, '::1');
      socket.write(`GET ${API}/topic/${id} HTTP/1.0\r\n\r\n`);
      let raw = '';
      for await (const chunk of socket) raw += chunk;
      expect(raw).toMatch(/^HTTP\/1\.1 200/);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).href).toBe(`http://[::1]:${served.port}${API}/topic/${id}`);
    });
  },
);
