import { RetentionSweeper, sweepInterval } from '../../src/delivery/retention-sweeper';
import { createLogger } from '../../src/logger';
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

describe('RetentionSweeper', () => {
  const logger = createLogger('silent');

  it('should delete delivered and dead deliveries finished longer ago than the retention, never pending ones', async () => {
    const store = new MemoryDeliveryStore();
    await store.insertMany([
      delivery('old-delivered', { status: 'delivered', finishedAt: NOW - 8 * DAY }),
      delivery('old-dead', { status: 'dead', finishedAt: NOW - 7 * DAY - 1 }),
      delivery('recent-dead', { status: 'dead', finishedAt: NOW - 6 * DAY }),
      delivery('old-pending', { nextAttemptAt: NOW - 9 * DAY }),
    ]);
    const sweeper = new RetentionSweeper({ what: 'finished deliveries', retentionMs: 7 * DAY }, { deleteBefore: (cutoff, limit) => store.deleteFinishedBefore(cutoff, limit), logger, now: () => NOW });
    await expect(sweeper.sweep()).resolves.toBe(2);
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
    const sweeper = new RetentionSweeper({ what: 'finished deliveries', retentionMs: DAY, batchSize: 2 }, { deleteBefore: (cutoff, limit) => counting.deleteFinishedBefore(cutoff, limit), logger, now: () => NOW });
    await expect(sweeper.sweep()).resolves.toBe(5);
    expect(calls).toEqual([2, 2, 1]);
    expect(await ids(store)).toEqual([]);
  });

  it('should survive a store failure, log it, and count what it deleted before it', async () => {
    const warnings: unknown[] = [];
    const watching = { ...logger, warn: (msg: string, fields?: Record<string, unknown>) => warnings.push({ msg, ...fields }) };
    let call = 0;
    const failing = { deleteFinishedBefore: async (_cutoff: number, _limit: number) => (++call === 1 ? 1000 : Promise.reject(new Error('store down'))) };
    const sweeper = new RetentionSweeper({ what: 'finished deliveries', retentionMs: DAY }, { deleteBefore: (cutoff, limit) => failing.deleteFinishedBefore(cutoff, limit), logger: watching, now: () => NOW });
    await expect(sweeper.sweep()).resolves.toBe(1000);
    expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringContaining('retention sweep failed'), deletedSoFar: 1000 })]);
  });

  it('should run one sweep at a time: a second call while one runs shares it', async () => {
    let release!: () => void;
    let calls = 0;
    const slow = { deleteFinishedBefore: (_cutoff: number, _limit: number) => {
      calls++;
      return new Promise<number>((resolve) => (release = () => resolve(3)));
    } };
    const sweeper = new RetentionSweeper({ what: 'finished deliveries', retentionMs: DAY }, { deleteBefore: (cutoff, limit) => slow.deleteFinishedBefore(cutoff, limit), logger, now: () => NOW });
    const first = sweeper.sweep();
    const second = sweeper.sweep();
    release();
    await expect(Promise.all([first, second])).resolves.toEqual([3, 3]);
    expect(calls).toBe(1);
  });

  it.each([
    [100, 1000],
    [60_000, 6_000],
    [30 * DAY, 3_600_000],
  ])('should sweep every tenth of the retention, from 1 s to 1 h (%d ms -> %d ms)', (retention, interval) => {
    expect(sweepInterval(retention)).toBe(interval);
  });
});
