import { pollUntil } from '../helpers/poll';
import { runHubToExit, startHubProcess, type HubProcess } from '../helpers/start-hub-process';
import { freshDatabaseEnv, STORE_KIND } from '../helpers/test-stores';
import { TestReceiver } from '../helpers/test-receiver';

const API = '/tmf-api/event/v4';
const onMongo = STORE_KIND === 'mongodb' ? describe : describe.skip;

describe('HUB_PROCESSES', () => {
  it('should refuse to start several processes on the embedded store, saying why', async () => {
    const { code, stderr } = await runHubToExit({ HUB_PROCESSES: '2', MONGODB_URL: '' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration: HUB_PROCESSES (2) needs MONGODB_URL: the embedded store lives in one process');
  });

  onMongo('two processes on MongoDB', () => {
    let receiver: TestReceiver;
    let hub: HubProcess;
    beforeEach(async () => {
      receiver = await TestReceiver.start(() => ({ status: 204 }));
      hub = await startHubProcess({ ...freshDatabaseEnv(), HUB_PROCESSES: '2', HUB_DELIVERY_POLL: '100ms' }, 20_000);
      // Both processes listen on the shared port before the test goes on.
      await pollUntil(async () => ((hub.output().match(/"msg":"tmf688-hub listening"/g) ?? []).length >= 2 ? true : undefined), 20_000, 'two listening processes');
    });
    afterEach(async () => {
      hub.child.kill('SIGKILL');
      await receiver.close();
    });

    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${hub.baseUrl}${API}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string };
    };

    it('should take publishes on the shared port and deliver every one exactly once, then stop gracefully on SIGTERM', async () => {
      const topic = await post('/topic', { name: 'orders' });
      await post(`/topic/${topic.id}/hub`, { callback: receiver.url('/cb') });
      const count = 40;
      await Promise.all(Array.from({ length: count }, (_, n) => post(`/topic/${topic.id}/event`, { eventType: 'X', n })));
      await pollUntil(async () => (receiver.requests.length >= count ? true : undefined), 20_000, `${count} deliveries`);
      // Past a few poll periods of both workers: no second copy of any delivery arrives.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const seen = receiver.requests.map((r) => r.json.n as number).sort((a, b) => a - b);
      expect(seen).toEqual(Array.from({ length: count }, (_, n) => n));

      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
      expect(hub.output().match(/"msg":"stopped"/g)).toHaveLength(2);
    });

    it('should start another process when one dies', async () => {
      const pids = [...hub.output().matchAll(/"msg":"tmf688-hub listening".*?"pid":(\d+)/g)].map((m) => Number(m[1]));
      expect(pids).toHaveLength(2);
      process.kill(pids[0], 'SIGKILL');
      await pollUntil(async () => ((hub.output().match(/"msg":"tmf688-hub listening"/g) ?? []).length >= 3 ? true : undefined), 20_000, 'a third listening process');
      expect(hub.output()).toContain('"msg":"a hub process died; starting another"');
      const res = await fetch(`${hub.baseUrl}/health`);
      expect(res.status).toBe(200);
    });
  });
});
