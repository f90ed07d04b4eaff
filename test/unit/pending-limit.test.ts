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

  it('should wait for the first read, then serve the cached count while it refreshes in the background', async () => {
    let now = 0;
    const store = fakeStore(10);
    const limit = new PendingLimit({ max: 100, refreshMs: 1000, now: () => now }, store);
    await expect(limit.state()).resolves.toEqual({ pending: 10, max: 100, over: false });
    store.count = 500;
    now = 999;
    await expect(limit.state()).resolves.toMatchObject({ pending: 10, over: false });
    expect(store.reads).toBe(1);
    now = 1000;
    // Stale: a read starts, but this check still answers from the cached figure.
    await expect(limit.state()).resolves.toMatchObject({ pending: 10 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.reads).toBe(2);
    await expect(limit.state()).resolves.toEqual({ pending: 500, max: 100, over: true });
  });

  it("should add this process's own deliveries at once, before the next read", async () => {
    const limit = new PendingLimit({ max: 10, refreshMs: 60_000, now: () => 0 }, fakeStore(5));
    await limit.check();
    limit.added(5);
    await expect(limit.check()).rejects.toThrow('has 10 deliveries');
  });

  it('should keep the last figure when the store cannot be read', async () => {
    let now = 0;
    const store = fakeStore(50);
    const limit = new PendingLimit({ max: 10, refreshMs: 1000, now: () => now }, store);
    await expect(limit.state()).resolves.toMatchObject({ pending: 50, over: true });
    store.fail = true;
    now = 5000;
    await limit.state();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(limit.state()).resolves.toMatchObject({ pending: 50, over: true });
  });

  it('should never read the store nor refuse with max 0', async () => {
    const store = fakeStore(1_000_000);
    const limit = new PendingLimit({ max: 0, refreshMs: 0 }, store);
    await expect(limit.check()).resolves.toBeUndefined();
    expect(store.reads).toBe(0);
  });
});
