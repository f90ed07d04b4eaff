import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp } from '../helpers/test-app';
import { pollUntil } from '../helpers/poll';
import { startHubProcess, type HubProcess } from '../helpers/start-hub-process';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** HUB_DELIVERY_THREAD=on in the built hub: deliveries made from the thread, recorded as any other, and an orderly stop. */
describe('HUB_DELIVERY_THREAD=on', () => {
  let listener: http.Server;
  let listenerUrl: string;
  const received: Array<{ path?: string; body: string; headers: http.IncomingHttpHeaders }> = [];
  let hub: HubProcess | undefined;

  beforeAll(async () => {
    listener = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url, body, headers: req.headers });
        res.writeHead(req.url?.startsWith('/failing') ? 500 : 204).end(req.url?.startsWith('/failing') ? 'not today' : undefined);
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (hub && hub.child.exitCode === null) hub.child.kill('SIGKILL');
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
  });

  it('should deliver every event from the thread, with its headers, record a failed attempt with its status, and stop in order', async () => {
    hub = await startHubProcess({ HUB_DELIVERY_THREAD: 'on', HUB_RETRY_SCHEDULE: '1h' });
    expect(hub.output()).toContain('"deliveryThread":"on"');
    const api = `${hub.baseUrl}/tmf-api/event/v4`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${api}${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string };
    };
    const topic = await post('/topic', { name: 'threaded' });
    await post(`/topic/${topic.id}/hub`, { callback: `${listenerUrl}/ok` });
    const failing = await post(`/topic/${topic.id}/hub`, { callback: `${listenerUrl}/failing` });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await post(`/topic/${topic.id}/event`, { eventType: 'ThreadedEvent', event: { i } })).id);

    const ok = await pollUntil(async () => {
      const got = received.filter((r) => r.path === '/ok');
      return got.length >= 20 ? got : undefined;
    }, 20_000, '20 deliveries to the healthy listener');
    expect(ok.map((r) => (JSON.parse(r.body) as { id: string }).id).sort()).toEqual([...ids].sort());
    // The headers built in the hub's thread cross to the delivery thread whole.
    for (const r of ok) expect(r.headers).toMatchObject({ 'webhook-id': expect.any(String), 'webhook-attempt': '1', 'content-type': expect.stringContaining('application/json') });

    // The failing listener's answers are recorded as attempts, status and answer included.
    const dead = await pollUntil(async () => {
      const res = await fetch(`${api}/topic/${topic.id}/hub/${failing.id}/delivery?limit=100`);
      const list = (await res.json()) as Array<{ attempts: Array<{ statusCode?: number; response?: string }> }>;
      return list.length === 20 && list.every((d) => d.attempts.length === 1) ? list : undefined;
    }, 20_000, 'one recorded attempt per delivery to the failing listener');
    for (const d of dead) expect(d.attempts[0]).toMatchObject({ statusCode: 500 });

    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(hub.output()).toContain('"msg":"stopped"');
  });

  it('should refuse on from the TypeScript sources, saying what to do', async () => {
    await expect(buildTestApp({ config: { deliveryThread: 'on' }, worker: {} })).rejects.toThrow(
      'HUB_DELIVERY_THREAD=on needs the compiled hub (npm run build, then npm start); it cannot start from the TypeScript sources',
    );
  });
});
