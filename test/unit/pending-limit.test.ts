import { PendingLimit } from '../../src/hub/pending-limit';

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
});
