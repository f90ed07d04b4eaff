import { pollUntil } from '../helpers/poll';
import { startHubProcess } from '../helpers/start-hub-process';
import { freshDatabaseEnv } from '../helpers/test-stores';

const API = '/tmf-api/event/v4';

const json = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, { ...init, headers: { 'Content-Type': 'application/json', ...init?.headers } });
  return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any };
};

describe('delivery retention (HUB_DELIVERY_RETENTION, the built hub process)', () => {
  it('should delete a delivered delivery once its retention has passed, keeping the event', async () => {
    const hub = await startHubProcess({
      HUB_DELIVERY_RETENTION: '300ms',
      ...freshDatabaseEnv(),
    });
    try {
      const base = `${hub.baseUrl}${API}`;
      const topic = (await json(`${base}/topic`, { method: 'POST', body: JSON.stringify({ name: 'retained' }) })).body;
      const sub = (await json(`${base}/topic/${topic.id}/hub`, { method: 'POST', body: JSON.stringify({ callback: `${base}/inbox/retention` }) })).body;
      const event = (await json(`${base}/topic/${topic.id}/event`, { method: 'POST', body: JSON.stringify({ eventType: 'Kept' }) })).body;
      const log = `${base}/topic/${topic.id}/hub/${sub.id}/delivery`;

      await pollUntil(async () => ((await json(log)).body[0]?.status === 'delivered' ? true : undefined), 5000, 'the delivery to be delivered', 50);
      // Swept within a sweep interval (1 s at this retention) or two.
      await pollUntil(async () => ((await json(log)).body.length === 0 ? true : undefined), 5000, 'the delivery to be swept', 100);
      expect((await json(`${base}/topic/${topic.id}/event/${event.id}`)).status).toBe(200);
      expect((await json(`${base}/inbox/retention`)).body).toHaveLength(1);
      expect(hub.output()).toContain('"msg":"finished delivery retention","deleted":1');
    } finally {
      hub.child.kill('SIGTERM');
    }
    expect(await hub.exited).toBe(0);
  });
});
