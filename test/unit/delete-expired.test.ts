import { deleteExpired, retentionSweepInterval } from '../../src/delivery/delete-expired';
import type { Delivery, DeliveryStore } from '../../src/store/delivery-types';
import { MemoryDeliveryStore } from '../../src/store/memory/memory-delivery-store';

const NOW = Date.parse('2026-01-10T00:00:00Z');
const DAY = 86_400_000;

function delivery(id: string, overrides: Partial<Delivery>): Delivery {
  return {
    id, hubKind: 'topic', hubId: 'h1', topicId: 't1', eventId: `e-${id}`, eventResourceId: `r-${id}`, url: 'http://127.0.0.1:9/cb',
    payload: '{}', status: 'pending', failures: 0, attempts: [], nextAttemptAt: NOW + DAY, createdAt: new Date(NOW - 10 * DAY).toISOString(), ...overrides,
  };
}

const ids = async (store: DeliveryStore) => (await store.list('h1', { filter: [], offset: 0, limit: 100 })).items.map((d) => d.id).sort();

describe('deleteExpired', () => {
  it('should delete delivered and dead deliveries finished longer ago than the retention, never pending ones', async () => {
    const store = new MemoryDeliveryStore();
    await store.insertMany([
      delivery('old-delivered', { status: 'delivered', finishedAt: NOW - 8 * DAY }),
      delivery('old-dead', { status: 'dead', finishedAt: NOW - 7 * DAY - 1 }),
      delivery('recent-dead', { status: 'dead', finishedAt: NOW - 6 * DAY }),
      delivery('old-pending', { nextAttemptAt: NOW - 9 * DAY }),
    ]);
    await expect(deleteExpired({ deleteBefore: (cutoff, limit) => store.deleteFinishedBefore(cutoff, limit), retentionMs: 7 * DAY, now: NOW })).resolves.toBe(2);
    expect(await ids(store)).toEqual(['old-pending', 'recent-dead']);
  });

  it('should keep deleting in batches until a batch comes back short', async () => {
    const store = new MemoryDeliveryStore();
    await store.insertMany(Array.from({ length: 5 }, (_, i) => delivery(`d${i}`, { status: 'delivered', finishedAt: NOW - 2 * DAY })));
    const calls: number[] = [];
    const counting = { deleteFinishedBefore: async (cutoff: number, limit: number) => {
      const deleted = await store.deleteFinishedBefore(cutoff, limit);
      calls.push(deleted);
      return deleted;
    } };
    await expect(deleteExpired({ deleteBefore: (cutoff, limit) => counting.deleteFinishedBefore(cutoff, limit), retentionMs: DAY, batchSize: 2, now: NOW })).resolves.toBe(5);
    expect(calls).toEqual([2, 2, 1]);
    expect(await ids(store)).toEqual([]);
  });

  it('should throw a store failure (the scheduler logs it and runs again later)', async () => {
    let call = 0;
    const failing = async () => (++call === 1 ? 1000 : Promise.reject(new Error('store down')));
    await expect(deleteExpired({ deleteBefore: failing, retentionMs: DAY, now: NOW })).rejects.toThrow('store down');
    expect(call).toBe(2);
  });

  it('should pass the cutoff of the retention before now', async () => {
    const cutoffs: number[] = [];
    await deleteExpired({ deleteBefore: async (cutoff) => (cutoffs.push(cutoff), 0), retentionMs: 3 * DAY, now: NOW });
    expect(cutoffs).toEqual([NOW - 3 * DAY]);
  });

  it.each([
    [100, 1000],
    [60_000, 6_000],
    [30 * DAY, 3_600_000],
  ])('should sweep every tenth of the retention, from 1 s to 1 h (%d ms -> %d ms)', (retention, interval) => {
    expect(retentionSweepInterval(retention)).toBe(interval);
  });
});
