import { startHubProcess } from '../helpers/start-hub-process';
import { freshDatabaseEnv, MONGODB_URL } from '../helpers/test-stores';

const describeMongo = MONGODB_URL ? describe : describe.skip;

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { ...init, headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
}

describeMongo('restart on MongoDB', () => {
  it('should read back every topic, hub and event unchanged from a new process on the same database', async () => {
    const env = { ...freshDatabaseEnv(), HUB_PUBLIC_URL: 'http://hub.example' };
    const first = await startHubProcess(env);
    const api = `${first.baseUrl}/tmf-api/event/v4`;
    const written: Record<string, any[]> = { topics: [], hubs: [], events: [], listeners: [] };
    try {
      for (const name of ['orders', 'alarms']) {
        const topic = await json(`${api}/topic`, { method: 'POST', body: JSON.stringify({ name, '@baseType': 'Topic', ext: { n: 1 } }) });
        expect(topic.status).toBe(201);
        written.topics.push(topic.body);
        const hub = await json(`${api}/topic/${topic.body.id}/hub`, {
          method: 'POST',
          body: JSON.stringify({ callback: `http://listener.example/${name}`, query: 'eventType=A' }),
        });
        expect(hub.status).toBe(201);
        written.hubs.push(hub.body);
        for (let i = 0; i < 3; i++) {
          const event = await json(`${api}/topic/${topic.body.id}/event`, {
            method: 'POST',
            body: JSON.stringify({ eventType: 'A', eventId: `${name}-${i}`, event: { seq: i, items: [{ k: 'v' }] } }),
          });
          expect(event.status).toBe(201);
          written.events.push(event.body);
        }
      }
      const listener = await json(`${api}/hub`, { method: 'POST', body: JSON.stringify({ callback: 'http://client.example/l' }) });
      written.listeners.push(listener.body);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }

    const second = await startHubProcess(env);
    const api2 = `${second.baseUrl}/tmf-api/event/v4`;
    try {
      expect((await json(`${api2}/topic`)).body).toEqual(written.topics);
      for (const topic of written.topics) {
        expect((await json(`${api2}/topic/${topic.id}`)).body).toEqual(topic);
        expect((await json(`${api2}/topic/${topic.id}/hub`)).body).toEqual(written.hubs.filter((h) => h.href.includes(topic.id)));
        expect((await json(`${api2}/topic/${topic.id}/event`)).body).toEqual(written.events.filter((e) => e.href.includes(topic.id)));
      }
      for (const event of written.events) {
        expect((await json(event.href.replace('http://hub.example', second.baseUrl))).body).toEqual(event);
      }
      expect((await json(`${api2}/hub/${written.listeners[0].id}`)).body).toEqual(written.listeners[0]);
      // The unique eventId index survived too.
      const dup = await json(`${api2}/topic/${written.topics[0].id}/event`, { method: 'POST', body: JSON.stringify({ eventId: 'orders-0' }) });
      expect(dup.status).toBe(409);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});

if (!MONGODB_URL) {
  describe.skip('restart on MongoDB (set MONGODB_URL to run)', () => {
    it('runs against MongoDB', () => undefined);
  });
}
