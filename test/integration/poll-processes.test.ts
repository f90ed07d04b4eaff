import { pollUntil } from '../helpers/poll';
import { startHubProcess, type HubProcess } from '../helpers/start-hub-process';
import { API } from '../helpers/test-app';
import { freshDatabaseEnv, MONGODB_URL } from '../helpers/test-stores';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';

const describeMongo = MONGODB_URL ? describe : describe.skip;

async function call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * Several hub processes on one MongoDB poll a topic's source: one at a time (the lease), and a change
 * is published once whichever process polls it, across a process stopping and another starting.
 */
describeMongo('a poll source on several hub processes sharing one MongoDB', () => {
  const processes: HubProcess[] = [];
  let mock: Tmf622Mock;

  afterEach(async () => {
    for (const p of processes.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
    await mock.close();
  });

  it('should publish each change exactly once, and nothing for unchanged resources when a process stops and another starts', async () => {
    mock = await Tmf622Mock.start();
    mock.orders = [productOrder('o1'), productOrder('o2'), productOrder('o3')];
    const env = freshDatabaseEnv();
    const start = async () => {
      const p = await startHubProcess(env, 20_000);
      processes.push(p);
      return p;
    };
    const [a, b] = [await start(), await start()];
    const topic = await call('POST', `${a.baseUrl}${API}/topic`, { name: 'orders', source: { poll: mock.url, interval: '1s', resourceType: 'ProductOrder' } });
    const events = async (p: HubProcess) => (await call('GET', `${p.baseUrl}${API}/topic/${topic.id}/event?limit=1000`)) as Array<Record<string, any>>;
    const polledAfter = async (p: HubProcess, count: number) => pollUntil(async () => ((await events(p)).length >= count ? true : undefined), 15_000, `${count} events`);
    // The baseline, then a change per round, each seen by whichever process holds the lease.
    await pollUntil(async () => ((await call('GET', `${b.baseUrl}${API}/topic/${topic.id}`)).source.lastPollAt ? true : undefined), 15_000, 'the first poll');
    mock.set('o1', { priority: '1' });
    await polledAfter(b, 1);
    mock.set('o2', { state: 'completed' });
    await polledAfter(a, 3);
    // A process stops (giving its leases up); a new one starts: the survivors go on, publishing each change once.
    a.child.kill('SIGTERM');
    await a.exited;
    const c = await start();
    mock.remove('o3');
    await polledAfter(c, 4);
    mock.set('o4', {});
    await polledAfter(b, 5);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const published = await events(c);
    expect(published.map((e) => [e.eventType, e.event.productOrder.id])).toEqual([
      ['ProductOrderAttributeValueChangeEvent', 'o1'],
      ['ProductOrderAttributeValueChangeEvent', 'o2'],
      ['ProductOrderStateChangeEvent', 'o2'],
      ['ProductOrderDeleteEvent', 'o3'],
      ['ProductOrderCreateEvent', 'o4'],
    ]);
    expect(new Set(published.map((e) => e.eventId)).size).toBe(5);
  }, 90_000);
});
