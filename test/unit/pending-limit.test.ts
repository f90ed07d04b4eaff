import { heapFull, PendingLimit, refusalReason, type HeapUse } from '../../src/hub/pending-limit';

const MB = 2 ** 20;

/** A heap whose live data the test sets. */
function fakeHeap(liveMb: number, limitMb: number): HeapUse & { liveMb: number; usedMb: number } {
  const heap = { liveMb, usedMb: liveMb, limit: limitMb * MB, live: () => heap.liveMb * MB, used: () => heap.usedMb * MB };
  return heap;
}

/** A store whose count the test sets, counting how often it is asked. */
function fakeStore(initial: number) {
  const store = { count: initial, reads: 0, fail: false, countUnfinished: async () => {
    store.reads++;
    if (store.fail) throw new Error('store down');
    return store.count;
  } };
  return store;
}

describe('PendingLimit', () => {
  it('should read an exact store at every check when refreshMs is 0', async () => {
    const store = fakeStore(0);
    const limit = new PendingLimit({ max: 2, refreshMs: 0 }, store);
    await expect(limit.check()).resolves.toBeUndefined();
    store.count = 2;
    await expect(limit.check()).rejects.toMatchObject({ status: 503, code: 'ServiceUnavailable', headers: { 'Retry-After': '1' } });
    expect(store.reads).toBe(2);
  });

  it('should count refusals for its subscribers', async () => {
    const limit = new PendingLimit({ max: 1, refreshMs: 0 }, fakeStore(5));
    let refused = 0;
    limit.subscribe(() => refused++);
    await expect(limit.check()).rejects.toThrow('past its limit of 1');
    await expect(limit.check()).rejects.toThrow();
    expect(refused).toBe(2);
  });

  it('should wait for the first read, then serve the last refreshed count without reading the store', async () => {
    const store = fakeStore(10);
    const limit = new PendingLimit({ max: 100, refreshMs: 1000 }, store);
    await expect(limit.state()).resolves.toEqual({ pending: 10, max: 100, over: false });
    store.count = 500;
    await expect(limit.state()).resolves.toMatchObject({ pending: 10, over: false });
    expect(store.reads).toBe(1);
    // The scheduler's refresh (every refreshMs) is what reads the store again.
    await expect(limit.refresh()).resolves.toBe(500);
    expect(store.reads).toBe(2);
    await expect(limit.state()).resolves.toEqual({ pending: 500, max: 100, over: true });
  });

  it('should share a refresh under way rather than read twice', async () => {
    const store = fakeStore(3);
    const limit = new PendingLimit({ max: 100, refreshMs: 1000 }, store);
    await Promise.all([limit.refresh(), limit.refresh(), limit.state()]);
    expect(store.reads).toBe(1);
  });

  it("should add this process's own deliveries at once, before the next read", async () => {
    const limit = new PendingLimit({ max: 10, refreshMs: 60_000 }, fakeStore(5));
    await limit.check();
    limit.added(5);
    await expect(limit.check()).rejects.toThrow('has 10 deliveries');
  });

  it('should keep the last figure when the store cannot be read, and not throw', async () => {
    const store = fakeStore(50);
    const limit = new PendingLimit({ max: 10, refreshMs: 1000 }, store);
    await expect(limit.state()).resolves.toMatchObject({ pending: 50, over: true });
    store.fail = true;
    await expect(limit.refresh()).resolves.toBe(50);
    await expect(limit.state()).resolves.toMatchObject({ pending: 50, over: true });
  });

  it('should never read the store nor refuse with max 0', async () => {
    const store = fakeStore(1_000_000);
    const limit = new PendingLimit({ max: 0, refreshMs: 0 }, store);
    await expect(limit.check()).resolves.toBeUndefined();
    expect(store.reads).toBe(0);
  });

  it.each<[string, number, number, number, boolean]>([
    ['no full collection yet', 0, 100, 600, false],
    ['well below', 300, 400, 600, false],
    ['live just below 80%', 479, 530, 600, false],
    ['live at 80%', 480, 500, 600, true],
    ['live past the limit', 700, 700, 600, true],
    ['garbage up to just below 90%: the next collection decides', 200, 539, 600, false],
    ['in use at 90%, before the next collection', 200, 540, 600, true],
    ['no limit known', 100, 100, 0, false],
  ])('heapFull: %s', (_name, liveMb, usedMb, limitMb, full) => {
    expect(heapFull(liveMb * MB, usedMb * MB, limitMb * MB)).toBe(full);
  });

  it('should refuse while the live heap is past 80% of its limit, also with max 0, and publish again once it falls', async () => {
    const store = fakeStore(3);
    const heap = fakeHeap(520, 600);
    const limit = new PendingLimit({ max: 0, refreshMs: 0 }, store, heap);
    await expect(limit.state()).resolves.toEqual({ pending: 0, max: 0, over: true, heap: { liveMb: 520, usedMb: 520, limitMb: 600 } });
    await expect(limit.check()).rejects.toMatchObject({
      status: 503,
      reason: 'Hub memory full',
      message: "The hub's heap is nearly full: 520 MB live after the last full collection, 520 MB in use, of its limit of 600 MB (HUB_HEAP_LIMIT); nothing was published, retry later",
      headers: { 'Retry-After': '1' },
    });
    heap.liveMb = 400;
    heap.usedMb = 450;
    await expect(limit.check()).resolves.toBeUndefined();
    heap.usedMb = 545;
    await expect(limit.check()).rejects.toMatchObject({ status: 503, reason: 'Hub memory full' });
    expect(store.reads).toBe(0);
  });

  it('should name the heap before the backlog when both are past their limits', async () => {
    const limit = new PendingLimit({ max: 1, refreshMs: 0 }, fakeStore(5), fakeHeap(590, 600));
    const state = await limit.state();
    expect(state).toMatchObject({ pending: 5, over: true, heap: { liveMb: 590 } });
    expect(refusalReason(state)).toMatch(/^the hub's heap is nearly full: 590 MB live/);
    expect(refusalReason({ pending: 5, max: 1, over: true })).toBe('the hub has 5 deliveries not yet delivered, past its limit of 1 (HUB_MAX_PENDING)');
  });
});
