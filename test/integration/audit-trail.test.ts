import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';
import { TOP_LEVEL } from '../../src/store/store-types';

const SECRET = 'whsec_' + Buffer.from('audit-first-secret-0123456789').toString('base64');
const ROTATED = 'a-rotated-secret-that-is-long-enough';
const DAY = 86_400_000;

type AuditRecord = { principal: string; operation: string; resource: string; status: number; at: string };

/** A session of state changes through the API, on whichever store the suite runs on, and the trail it leaves. */
describe('the audit trail of a session', () => {
  let hub: TestApp;
  let receiver: TestReceiver;

  beforeEach(async () => {
    receiver = await TestReceiver.start();
    hub = await buildTestApp({ worker: {} });
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  it('should record every state change, newest first, and nothing of reads, publishes, mock receipts or failures', async () => {
    const href = (path: string) => `http://hub.test${API}${path}`;
    const topic = await hub.client.post(`${API}/topic`, { name: 'orders' });
    const t = topic.body.id;
    const h = (await hub.client.post(`${API}/topic/${t}/hub`, { callback: receiver.url('/orders'), secret: SECRET })).body.id;
    const l = (await hub.client.post(`${API}/hub`, { callback: receiver.url('/topics') })).body.id;
    await hub.client.post(`${API}/topic/${t}/event`, { eventType: 'OrderCreateEvent' });
    const [delivered] = await pollUntil(async () => {
      const found = (await hub.client.get(`${API}/topic/${t}/hub/${h}/delivery?status=delivered`)).body;
      return found.length ? found : undefined;
    }, 5000, 'the delivery');
    expect((await hub.client.post(`${API}/topic/${t}/hub/${h}/secret`, { secret: ROTATED })).status).toBe(200);
    expect((await hub.client.post(`${API}/topic/${t}/hub/${h}/delivery/${delivered.id}/redeliver`)).status).toBe(202);
    const window = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    expect((await hub.client.post(`${API}/topic/${t}/hub/${h}/replay`, window)).status).toBe(202);
    expect((await hub.client.post(`${API}/inbox/mock`, { any: 'thing' })).status).toBe(201);
    expect((await hub.client.delete(`${API}/inbox/mock`)).status).toBe(204);
    expect((await hub.client.delete(`${API}/topic/${t}/hub/${h}`)).status).toBe(204);
    expect((await hub.client.delete(`${API}/hub/${l}`)).status).toBe(204);
    expect((await hub.client.delete(`${API}/hub/${l}`)).status).toBe(404);
    expect((await hub.client.delete(`${API}/topic/${t}`)).status).toBe(204);

    const res = await hub.client.get(`${API}/auditRecord`);
    const trail = (res.body as AuditRecord[]).map((r) => [r.principal, r.operation, r.resource, r.status]);
    expect(trail).toEqual([
      ['anonymous', 'deleteTopic', `${API}/topic/${t}`, 204],
      ['anonymous', 'unregisterListener', `${API}/hub/${l}`, 204],
      ['anonymous', 'deleteHub', `${API}/topic/${t}/hub/${h}`, 204],
      ['anonymous', 'clearInbox', `${API}/inbox/mock`, 204],
      ['anonymous', 'replayTopicHub', `${API}/topic/${t}/hub/${h}/replay`, 202],
      ['anonymous', 'redeliverTopicHubDelivery', `${API}/topic/${t}/hub/${h}/delivery/${delivered.id}/redeliver`, 202],
      ['anonymous', 'rotateTopicHubSecret', `${API}/topic/${t}/hub/${h}/secret`, 200],
      ['anonymous', 'registerListener', href(`/hub/${l}`), 201],
      ['anonymous', 'createHub', href(`/topic/${t}/hub/${h}`), 201],
      ['anonymous', 'createTopic', href(`/topic/${t}`), 201],
    ]);
    expect(res.headers['x-total-count']).toBe('10');
    const times = (res.body as AuditRecord[]).map((r) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
    // No secret of the session is in any record.
    const all = JSON.stringify(res.body);
    for (const secret of [SECRET, ROTATED, SECRET.slice(6)]) expect(all).not.toContain(secret);
  });
});

describe('the audit trail\'s retention (HUB_AUDIT_RETENTION)', () => {
  let hub: TestApp | undefined;
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  it('should be a job of a process serving the API that deletes the records older than the retention', async () => {
    hub = await buildTestApp({ config: { auditRetentionMs: DAY } });
    expect(hub.scheduler.names).toContain('audit retention');
    // The run the start made, settled first: a call while it runs would share it.
    await hub.scheduler.run('audit retention');
    const now = Date.now();
    await hub.stores.audit.insert(TOP_LEVEL, { id: 'old', at: new Date(now - 2 * DAY).toISOString() }, now - 2 * DAY);
    await hub.stores.audit.insert(TOP_LEVEL, { id: 'young', at: new Date(now - DAY / 2).toISOString() }, now - DAY / 2);
    await expect(hub.scheduler.run('audit retention')).resolves.toEqual({ deleted: 1 });
    const left = await hub.stores.audit.list(TOP_LEVEL, { filter: [], offset: 0, limit: 10 });
    expect(left.items.map((r) => r.id)).toEqual(['young']);
  });

  it.each<[string, Record<string, unknown>]>([
    ['0 (keep forever)', { auditRetentionMs: 0 }],
    ['a worker-only process (it writes no records)', { apiEnabled: false, workerEnabled: true }],
  ])('should not be scheduled with %s', async (_label, config) => {
    hub = await buildTestApp({ config });
    expect(hub.scheduler.names).not.toContain('audit retention');
  });
});
