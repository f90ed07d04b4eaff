import { deleteExpired } from '../../src/delivery/delete-expired';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

/** HUB_EVENT_RETENTION and HUB_INBOX_MAX_TOTAL, on whichever store the suite runs on. */
describe('bounded stores', () => {
  let hub: TestApp;
  afterEach(async () => {
    await hub.stop();
  });

  it('should delete the events stored longer ago than HUB_EVENT_RETENTION, and keep the younger', async () => {
    hub = await buildTestApp();
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X', n: i })).body.id);
    const stored = await hub.stores.events.listStoredBetween(topicId, 0, Number.MAX_SAFE_INTEGER, 0, 10);
    const times = stored.items.map((i) => i.storedAt);
    // A retention that, at the sweep's clock, reaches just past the third event.
    const sweep = () =>
      deleteExpired({ deleteBefore: (cutoff, limit) => hub.stores.events.deleteStoredBefore(cutoff, limit), retentionMs: 60_000, batchSize: 2, now: times[2] + 1 + 60_000 });
    await expect(sweep()).resolves.toBe(3);
    const left = (await hub.client.get(`${API}/topic/${topicId}/event`)).body.map((e: { id: string }) => e.id);
    expect(left).toEqual(ids.slice(3));
    expect((await hub.client.get(`${API}/topic/${topicId}/event/${ids[0]}`)).status).toBe(404);
    await expect(sweep()).resolves.toBe(0);
  });

  it('should keep at most HUB_INBOX_MAX_TOTAL entries over all inboxes, the newest', async () => {
    hub = await buildTestApp({ config: { inboxMaxTotal: 4, inboxLimit: 3 } });
    for (let i = 0; i < 10; i++) expect((await hub.client.post(`${API}/inbox/box-${i % 5}`, { n: i })).status).toBe(201);
    const kept: number[] = [];
    for (let b = 0; b < 5; b++) {
      const res = await hub.client.get(`${API}/inbox/box-${b}`);
      kept.push(...res.body.map((e: { notification: { n: number } }) => e.notification.n));
    }
    expect(kept.sort((a, c) => a - c)).toEqual([6, 7, 8, 9]);
  });

  it('should still keep HUB_INBOX_LIMIT per inbox under the total', async () => {
    hub = await buildTestApp({ config: { inboxMaxTotal: 100, inboxLimit: 2 } });
    for (let i = 0; i < 5; i++) await hub.client.post(`${API}/inbox/one`, { n: i });
    const res = await hub.client.get(`${API}/inbox/one`);
    expect(res.body.map((e: { notification: { n: number } }) => e.notification.n)).toEqual([3, 4]);
  });
});
