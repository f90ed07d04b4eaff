import type { Stores } from '../../src/store/store-types';

const LEASE_MS = 10_000;
const T0 = 1_000_000;

/**
 * Behaviour every PollRecordStore must show (src/store/poll-record-store.ts): the records of topics
 * with a poll source, and the lease that lets one process at a time poll a topic.
 */
export function describePollRecordStoreContract(name: string, makeStores: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>): void {
  describe(`${name} poll record store`, () => {
    let stores: Stores;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ stores, cleanup } = await makeStores());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('should create a record at generation 0 without a baseline, and keep its credentials', async () => {
      await stores.polls.create('t1', { type: 'bearer', token: 'secret' });
      expect(await stores.polls.get('t1')).toEqual({ topicId: 't1', generation: 0, auth: { type: 'bearer', token: 'secret' } });
      expect(await stores.polls.get('t2')).toBeUndefined();
    });

    it('should replace the credentials of a record there, keeping its generation, and remove them when none are given', async () => {
      await stores.polls.create('t1');
      await stores.polls.lease('t1', 'p1', T0, LEASE_MS);
      await stores.polls.advance('t1', 'p1', 3, T0);
      await stores.polls.create('t1', { type: 'bearer', token: 'new' });
      expect(await stores.polls.get('t1')).toMatchObject({ generation: 3, auth: { type: 'bearer', token: 'new' } });
      await stores.polls.create('t1');
      expect(await stores.polls.get('t1')).not.toHaveProperty('auth');
    });

    it.each<[string, Array<[string, number]>, boolean]>([
      ['a free record', [], true],
      ['a lease the owner holds (a renewal)', [['p1', T0 - 1000]], true],
      ['a lease another holds that ran out', [['p2', T0 - LEASE_MS]], true],
      ['a live lease another holds', [['p2', T0 - 1000]], false],
    ])('should decide on %s', async (_case, before, taken) => {
      await stores.polls.create('t1');
      for (const [owner, at] of before) expect(await stores.polls.lease('t1', owner, at, LEASE_MS)).toBe(true);
      expect(await stores.polls.lease('t1', 'p1', T0, LEASE_MS)).toBe(taken);
      expect(await stores.polls.get('t1')).toMatchObject(taken ? { leaseOwner: 'p1', leaseUntil: T0 + LEASE_MS } : { leaseOwner: 'p2', leaseUntil: T0 - 1000 + LEASE_MS });
    });

    it('should lease no topic without a record', async () => {
      expect(await stores.polls.lease('none', 'p1', T0, LEASE_MS)).toBe(false);
      expect(await stores.polls.get('none')).toBeUndefined();
    });

    it('should let one of many processes take a free lease at once', async () => {
      await stores.polls.create('t1');
      const taken = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((owner) => stores.polls.lease('t1', owner, T0, LEASE_MS)));
      expect(taken.filter(Boolean)).toHaveLength(1);
    });

    it('should advance the generation only while the lease is held, and set the baseline once', async () => {
      await stores.polls.create('t1');
      expect(await stores.polls.advance('t1', 'p1', 1, T0)).toBe(false);
      await stores.polls.lease('t1', 'p1', T0, LEASE_MS);
      expect(await stores.polls.advance('t1', 'p1', 1, T0)).toBe(true);
      expect(await stores.polls.advance('t1', 'p1', 2, T0 + 5)).toBe(true);
      expect(await stores.polls.advance('t1', 'p2', 9, T0 + 9)).toBe(false);
      expect(await stores.polls.get('t1')).toMatchObject({ generation: 2, baselineAt: T0 });
    });

    it('should release every lease of an owner, and only its', async () => {
      for (const topic of ['t1', 't2', 't3']) await stores.polls.create(topic);
      await stores.polls.lease('t1', 'p1', T0, LEASE_MS);
      await stores.polls.lease('t2', 'p1', T0, LEASE_MS);
      await stores.polls.lease('t3', 'p2', T0, LEASE_MS);
      expect(await stores.polls.release('p1')).toBe(2);
      expect(await stores.polls.lease('t1', 'p2', T0 + 1, LEASE_MS)).toBe(true);
      expect(await stores.polls.get('t2')).not.toHaveProperty('leaseOwner');
      expect(await stores.polls.get('t3')).toMatchObject({ leaseOwner: 'p2' });
    });

    it('should delete a record', async () => {
      await stores.polls.create('t1');
      expect(await stores.polls.delete('t1')).toBe(true);
      expect(await stores.polls.delete('t1')).toBe(false);
      expect(await stores.polls.get('t1')).toBeUndefined();
    });
  });
}
