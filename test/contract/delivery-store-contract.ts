import { parseFilter, type QueryPairs } from '../../src/query/parse-filter';
import type {
  AttemptOutcome,
  ClaimRequest,
  Delivery,
  DeliveryAttempt,
  DeliveryListQuery,
  DeliveryStore,
} from '../../src/store/delivery-types';
import type { Stores } from '../../src/store/store-types';

/**
 * Behaviour every DeliveryStore must show, as promised by src/store/delivery-types.ts.
 * Only the public interface is used, so the same cases run against every backing store.
 */

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const LEASE_MS = 30_000;

/** createdAt `seconds` after a fixed origin, so creation order is explicit. */
function created(seconds: number): string {
  return new Date(Date.parse('2024-05-01T10:00:00.000Z') + seconds * 1000).toISOString();
}

function attempt(number: number, outcome: 'delivered' | 'failed' = 'failed', statusCode?: number): DeliveryAttempt {
  const a: DeliveryAttempt = { number, at: created(100 + number), durationMs: 12 * number, outcome };
  if (statusCode !== undefined) a.statusCode = statusCode;
  else a.error = 'connect ECONNREFUSED 127.0.0.1:9';
  if (statusCode !== undefined) a.response = `{"status":${statusCode}}`;
  return a;
}

let seq = 0;

/** A due pending delivery; overrides win. */
function delivery(id: string, hubId: string, overrides: Partial<Delivery> = {}): Delivery {
  seq++;
  return {
    id,
    hubKind: 'topic',
    hubId,
    topicId: 'topic-1',
    eventId: `ev-${id}`,
    eventResourceId: `evt-res-${id}`,
    eventType: 'ProductOrderCreateEvent',
    url: `https://${hubId}.example.com/cb`,
    payload: JSON.stringify({ id, eventType: 'ProductOrderCreateEvent', event: { productOrder: { id: `po-${id}` } } }),
    status: 'pending',
    failures: 0,
    attempts: [],
    nextAttemptAt: NOW - 1_000,
    createdAt: created(seq),
    ...overrides,
  };
}

/** A first attempt that delivered, now. */
function deliveredOutcome(): AttemptOutcome {
  return { attempt: attempt(1, 'delivered', 200), status: 'delivered', failures: 0, nextAttemptAt: NOW, deliveredAt: new Date(NOW).toISOString(), finishedAt: NOW };
}

function claim(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return { now: NOW, leaseMs: LEASE_MS, owner: 'worker-a', limit: 100, perHubLimit: 100, inFlightByHub: new Map(), ...overrides };
}

function listQuery(overrides: Partial<DeliveryListQuery> = {}): DeliveryListQuery {
  return { filter: [], offset: 0, limit: 100, ...overrides };
}

const ids = (items: readonly Delivery[]): string[] => items.map((d) => d.id);
const sorted = (items: readonly Delivery[]): string[] => ids(items).sort();

export function describeDeliveryStoreContract(
  name: string,
  makeStores: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>,
): void {
  describe(`${name} stores (delivery store contract)`, () => {
    let stores: Stores;
    let cleanup: (() => Promise<void>) | undefined;
    const store = (): DeliveryStore => stores.deliveries;

    beforeEach(async () => {
      cleanup = undefined;
      seq = 0;
      ({ stores, cleanup } = await makeStores());
    });

    afterEach(async () => {
      await cleanup?.();
    });

    describe('insertMany and get', () => {
      it('should round-trip an equal delivery', async () => {
        const pending = delivery('d1', 'hub-a');
        const dead = delivery('d2', 'hub-a', {
          hubKind: 'listener',
          topicId: '',
          status: 'dead',
          failures: 3,
          attempts: [attempt(1, 'failed', 500), attempt(2), attempt(3, 'failed', 503)],
          nextAttemptAt: NOW + 60_000,
        });
        const delivered = delivery('d3', 'hub-b', {
          status: 'delivered',
          attempts: [attempt(1, 'delivered', 204)],
          deliveredAt: created(500),
        });
        await store().insertMany([pending, dead, delivered].map((d) => structuredClone(d)));
        await expect(store().get('hub-a', 'd1')).resolves.toEqual(pending);
        await expect(store().get('hub-a', 'd2')).resolves.toEqual(dead);
        await expect(store().get('hub-b', 'd3')).resolves.toEqual(delivered);
      });

      it('should keep an absent optional attribute absent (not null)', async () => {
        const { eventType: _omitted, ...withoutType } = delivery('d-no-type', 'hub-a');
        await store().insertMany([{ ...withoutType, eventType: undefined }]);
        const got = await store().get('hub-a', 'd-no-type');
        expect(got).toBeDefined();
        expect(Object.prototype.hasOwnProperty.call(got, 'eventType') && got!.eventType !== undefined).toBe(false);
      });

      it('should give undefined for the wrong hubId or an unknown id', async () => {
        await store().insertMany([delivery('d1', 'hub-a')]);
        await expect(store().get('hub-b', 'd1')).resolves.toBeUndefined();
        await expect(store().get('', 'd1')).resolves.toBeUndefined();
        await expect(store().get('hub-a', 'unknown')).resolves.toBeUndefined();
      });

      it('should accept an empty insertMany', async () => {
        await expect(store().insertMany([])).resolves.toBeUndefined();
        await expect(store().list('hub-a', listQuery())).resolves.toEqual({ items: [], total: 0 });
        await expect(store().pendingStats()).resolves.toMatchObject({ count: 0 });
      });

      it('should not let mutations of the inserted or returned objects change what is stored', async () => {
        const original = delivery('d1', 'hub-a', { attempts: [attempt(1)] });
        const inserted = structuredClone(original);
        await store().insertMany([inserted]);
        inserted.status = 'dead';
        inserted.attempts.push(attempt(2));
        const got = (await store().get('hub-a', 'd1')) as Delivery;
        got.status = 'delivered';
        got.attempts[0].durationMs = 999;
        await expect(store().get('hub-a', 'd1')).resolves.toEqual(original);
      });
    });

    describe('claimDue', () => {
      async function insertDueMix(): Promise<void> {
        await store().insertMany([
          delivery('d-recent', 'h1', { nextAttemptAt: NOW - 1_000 }),
          delivery('d-oldest', 'h2', { nextAttemptAt: NOW - 3_000 }),
          delivery('d-future', 'h3', { nextAttemptAt: NOW + 1 }),
          delivery('d-now', 'h4', { nextAttemptAt: NOW }),
          delivery('d-middle', 'h5', { nextAttemptAt: NOW - 2_000 }),
          delivery('d-far-future', 'h6', { nextAttemptAt: NOW + 3_600_000 }),
        ]);
      }

      it('should return only due pending deliveries, oldest nextAttemptAt first', async () => {
        await insertDueMix();
        const claimed = await store().claimDue(claim());
        expect(ids(claimed)).toEqual(['d-oldest', 'd-middle', 'd-recent', 'd-now']);
      });

      it('should return at most limit deliveries, the oldest due', async () => {
        await insertDueMix();
        const claimed = await store().claimDue(claim({ limit: 2 }));
        expect(ids(claimed)).toEqual(['d-oldest', 'd-middle']);
        const rest = await store().claimDue(claim({ owner: 'worker-b', limit: 2 }));
        expect(ids(rest)).toEqual(['d-recent', 'd-now']);
        await expect(store().claimDue(claim({ owner: 'worker-c' }))).resolves.toEqual([]);
      });

      it('should give nothing when nothing is due', async () => {
        await store().insertMany([delivery('d1', 'h1', { nextAttemptAt: NOW + 10 })]);
        await expect(store().claimDue(claim())).resolves.toEqual([]);
        await expect(store().claimDue(claim({ now: NOW + 10 }))).resolves.toHaveLength(1);
      });

      it('should set leaseOwner and leaseUntil = now + leaseMs, and leave the others alone', async () => {
        await insertDueMix();
        const claimed = await store().claimDue(claim({ limit: 2, owner: 'worker-x', leaseMs: 12_345 }));
        for (const d of claimed) {
          expect(d).toMatchObject({ leaseOwner: 'worker-x', leaseUntil: NOW + 12_345 });
        }
        await expect(store().get('h2', 'd-oldest')).resolves.toMatchObject({ leaseOwner: 'worker-x', leaseUntil: NOW + 12_345 });
        await expect(store().get('h5', 'd-middle')).resolves.toMatchObject({ leaseOwner: 'worker-x', leaseUntil: NOW + 12_345 });
        for (const [hubId, id] of [['h1', 'd-recent'], ['h4', 'd-now'], ['h3', 'd-future']]) {
          const d = (await store().get(hubId, id)) as Delivery;
          expect(d.leaseOwner).toBeUndefined();
          expect(d.leaseUntil).toBeUndefined();
        }
      });

      it('should return the claimed deliveries whole', async () => {
        const original = delivery('d1', 'h1', { failures: 2, attempts: [attempt(1, 'failed', 500), attempt(2)] });
        await store().insertMany([original]);
        const [claimed] = await store().claimDue(claim());
        expect(claimed).toEqual({ ...original, leaseOwner: 'worker-a', leaseUntil: NOW + LEASE_MS });
        await expect(store().get('h1', 'd1')).resolves.toEqual(claimed);
      });

      it('should not claim a leased delivery again until the lease expires', async () => {
        await store().insertMany([delivery('d1', 'h1')]);
        await expect(store().claimDue(claim({ owner: 'worker-a' }))).resolves.toHaveLength(1);
        await expect(store().claimDue(claim({ owner: 'worker-b' }))).resolves.toEqual([]);
        await expect(store().claimDue(claim({ owner: 'worker-a' }))).resolves.toEqual([]);
        await expect(store().claimDue(claim({ owner: 'worker-b', now: NOW + LEASE_MS - 1 }))).resolves.toEqual([]);
        await expect(store().get('h1', 'd1')).resolves.toMatchObject({ leaseOwner: 'worker-a', leaseUntil: NOW + LEASE_MS });

        const later = NOW + LEASE_MS + 1;
        const reclaimed = await store().claimDue(claim({ owner: 'worker-b', now: later }));
        expect(ids(reclaimed)).toEqual(['d1']);
        await expect(store().get('h1', 'd1')).resolves.toMatchObject({ leaseOwner: 'worker-b', leaseUntil: later + LEASE_MS });
        // The first worker's lease is gone: it can no longer complete.
        const outcome: AttemptOutcome = { attempt: attempt(1, 'delivered', 200), status: 'delivered', failures: 0, nextAttemptAt: later };
        await expect(store().complete('d1', 'worker-a', outcome)).resolves.toBe(false);
        await expect(store().complete('d1', 'worker-b', outcome)).resolves.toBe(true);
      });

      describe('per-hub limit', () => {
        async function insertHubs(): Promise<void> {
          await store().insertMany([
            delivery('a1', 'hub-a', { nextAttemptAt: NOW - 5_000 }),
            delivery('a2', 'hub-a', { nextAttemptAt: NOW - 4_000 }),
            delivery('a3', 'hub-a', { nextAttemptAt: NOW - 3_000 }),
            delivery('a4', 'hub-a', { nextAttemptAt: NOW - 2_000 }),
            delivery('a5', 'hub-a', { nextAttemptAt: NOW - 1_000 }),
            delivery('b1', 'hub-b', { nextAttemptAt: NOW - 500 }),
          ]);
        }

        it('should claim at most perHubLimit per hub in one claim', async () => {
          await insertHubs();
          const claimed = await store().claimDue(claim({ limit: 10, perHubLimit: 2 }));
          expect(sorted(claimed)).toEqual(['a1', 'a2', 'b1']);
          for (const id of ['a3', 'a4', 'a5']) {
            await expect(store().get('hub-a', id)).resolves.not.toHaveProperty('leaseOwner');
          }
        });

        it('should count what a hub already has in flight', async () => {
          await insertHubs();
          const claimed = await store().claimDue(claim({ limit: 10, perHubLimit: 2, inFlightByHub: new Map([['hub-a', 2]]) }));
          expect(ids(claimed)).toEqual(['b1']);
        });

        it('should fill up a hub partly in flight with its oldest due', async () => {
          await insertHubs();
          const claimed = await store().claimDue(claim({ limit: 10, perHubLimit: 2, inFlightByHub: new Map([['hub-a', 1]]) }));
          expect(sorted(claimed)).toEqual(['a1', 'b1']);
        });

        it('should claim nothing from hubs at or over their limit', async () => {
          await insertHubs();
          const claimed = await store().claimDue(
            claim({ limit: 10, perHubLimit: 2, inFlightByHub: new Map([['hub-a', 3], ['hub-b', 2]]) }),
          );
          expect(claimed).toEqual([]);
        });

        it('should still honour limit under the per-hub limit', async () => {
          await insertHubs();
          const claimed = await store().claimDue(claim({ limit: 1, perHubLimit: 2 }));
          expect(ids(claimed)).toEqual(['a1']);
        });

        it('should give a hub with a limit of its own (an adaptive window) that limit, above or below perHubLimit', async () => {
          await insertHubs();
          const claimed = await store().claimDue(claim({ limit: 10, perHubLimit: 1, hubLimit: new Map([['hub-a', 4]]) }));
          expect(sorted(claimed)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
          const rest = await store().claimDue(claim({ limit: 10, perHubLimit: 1, owner: 'worker-b', hubLimit: new Map([['hub-a', 0]]) }));
          expect(rest).toEqual([]);
        });

        it('should count what a hub has in flight against its own limit', async () => {
          await insertHubs();
          const claimed = await store().claimDue(claim({ limit: 10, perHubLimit: 5, inFlightByHub: new Map([['hub-a', 2]]), hubLimit: new Map([['hub-a', 3], ['hub-b', 0]]) }));
          expect(ids(claimed)).toEqual(['a1']);
        });
      });

      it('should never claim delivered or dead deliveries', async () => {
        await store().insertMany([
          delivery('dead', 'h1', { status: 'dead', failures: 3, nextAttemptAt: NOW - 10_000 }),
          delivery('delivered', 'h1', { status: 'delivered', nextAttemptAt: NOW - 9_000, deliveredAt: created(50) }),
          delivery('pending', 'h1', { nextAttemptAt: NOW - 1_000 }),
        ]);
        const claimed = await store().claimDue(claim());
        expect(ids(claimed)).toEqual(['pending']);
        await expect(store().claimDue(claim({ owner: 'worker-b', now: NOW + 10 * LEASE_MS }))).resolves.toEqual([
          expect.objectContaining({ id: 'pending' }),
        ]);
        for (const id of ['dead', 'delivered']) {
          await expect(store().get('h1', id)).resolves.not.toHaveProperty('leaseOwner');
        }
      });
    });

    describe('ordered deliveries (orderingKey): only the head of each key is claimable', () => {
      /** A due pending delivery of hub-o in key `key` with event sequence `sequence`. */
      const ordered = (id: string, key: string, sequence: number | undefined, overrides: Partial<Delivery> = {}) =>
        delivery(id, 'hub-o', { orderingKey: key, ...(sequence === undefined ? {} : { sequence }), ...overrides });
      const done = (n = 1): AttemptOutcome => ({ attempt: attempt(n, 'delivered', 200), status: 'delivered', failures: 0, nextAttemptAt: NOW, deliveredAt: created(90), finishedAt: NOW });
      const retryAt = (at: number, n = 1): AttemptOutcome => ({ attempt: attempt(n, 'failed', 500), status: 'pending', failures: n, nextAttemptAt: at });
      const deadOutcome = (n = 1): AttemptOutcome => ({ attempt: attempt(n, 'failed', 500), status: 'dead', failures: n, nextAttemptAt: NOW, finishedAt: NOW });

      it('should claim the lowest sequence of every key, keys in parallel, unordered ones as before, and round-trip the fields', async () => {
        await store().insertMany([
          ordered('k1-s3', 'k1', 3),
          ordered('k1-s1', 'k1', 1, { nextAttemptAt: NOW - 100 }),
          ordered('k2-s2', 'k2', 2),
          ordered('k2-s5', 'k2', 5, { nextAttemptAt: NOW - 9_000 }),
          delivery('plain-1', 'hub-o'),
          delivery('plain-2', 'hub-o'),
        ]);
        const claimed = await store().claimDue(claim());
        expect(sorted(claimed)).toEqual(['k1-s1', 'k2-s2', 'plain-1', 'plain-2']);
        expect(claimed.find((d) => d.id === 'k1-s1')).toMatchObject({ orderingKey: 'k1', sequence: 1 });
        await expect(store().claimDue(claim({ owner: 'worker-b' }))).resolves.toEqual([]);
      });

      it('should hand the key on only when its head is delivered or dead', async () => {
        await store().insertMany([ordered('s1', 'k', 1), ordered('s2', 'k', 2), ordered('s3', 'k', 3)]);
        expect(ids(await store().claimDue(claim()))).toEqual(['s1']);
        await expect(store().complete('s1', 'worker-a', done())).resolves.toBe(true);
        expect(ids(await store().claimDue(claim()))).toEqual(['s2']);
        await expect(store().complete('s2', 'worker-a', deadOutcome())).resolves.toBe(true);
        expect(ids(await store().claimDue(claim()))).toEqual(['s3']);
      });

      it("should block only its own key while the head waits for a retry, and send the head again first", async () => {
        await store().insertMany([ordered('a1', 'a', 1), ordered('a2', 'a', 3), ordered('b1', 'b', 2), ordered('b2', 'b', 4)]);
        expect(sorted(await store().claimDue(claim()))).toEqual(['a1', 'b1']);
        await store().complete('a1', 'worker-a', retryAt(NOW + 5_000));
        await store().complete('b1', 'worker-a', done());
        expect(ids(await store().claimDue(claim()))).toEqual(['b2']);
        await expect(store().claimDue(claim({ now: NOW + 4_999 }))).resolves.toEqual([]);
        expect(ids(await store().claimDue(claim({ now: NOW + 5_000 })))).toEqual(['a1']);
      });

      it('should let a staged delivery without its sequence hold its key until released, then order by sequence', async () => {
        await store().insertMany([ordered('late', 'k', undefined, { status: 'staged', eventResourceId: 'evt-late' })]);
        await store().insertMany([ordered('early-stored', 'k', 8), ordered('other-key', 'j', 9)]);
        expect(ids(await store().claimDue(claim()))).toEqual(['other-key']);
        await expect(store().releaseStaged('evt-late', 7)).resolves.toBe(1);
        await expect(store().get('hub-o', 'late')).resolves.toMatchObject({ status: 'pending', sequence: 7, orderingKey: 'k' });
        expect(ids(await store().claimDue(claim()))).toEqual(['late']);
      });

      it('should free the key when a staged head is deleted (its publish failed)', async () => {
        await store().insertMany([ordered('ghost', 'k', undefined, { status: 'staged', eventResourceId: 'evt-ghost' }), ordered('real', 'k', 2)]);
        await expect(store().claimDue(claim())).resolves.toEqual([]);
        await store().deleteByEvent('evt-ghost');
        expect(ids(await store().claimDue(claim()))).toEqual(['real']);
      });

      it('should keep a key leased by one worker from every other until the lease is completed, released or runs out', async () => {
        await store().insertMany([ordered('s1', 'k', 1), ordered('s2', 'k', 2)]);
        expect(ids(await store().claimDue(claim({ owner: 'worker-a' })))).toEqual(['s1']);
        await expect(store().claimDue(claim({ owner: 'worker-b' }))).resolves.toEqual([]);
        expect(ids(await store().claimDue(claim({ owner: 'worker-b', now: NOW + LEASE_MS + 1 })))).toEqual(['s1']);
        await expect(store().release('worker-b')).resolves.toBe(1);
        expect(ids(await store().claimDue(claim({ owner: 'worker-c', now: NOW + LEASE_MS + 2 })))).toEqual(['s1']);
        await expect(store().postpone('s1', 'worker-c', NOW + LEASE_MS + 1_000)).resolves.toBe(true);
        await expect(store().claimDue(claim({ owner: 'worker-c', now: NOW + LEASE_MS + 999 }))).resolves.toEqual([]);
        expect(ids(await store().claimDue(claim({ owner: 'worker-c', now: NOW + LEASE_MS + 1_000 })))).toEqual(['s1']);
      });

      it('should never lease two deliveries of one key, however many workers claim at once', async () => {
        const keys = ['k0', 'k1', 'k2', 'k3'];
        await store().insertMany(keys.flatMap((key, k) => Array.from({ length: 5 }, (_, i) => ordered(`${key}-${i}`, key, 1 + i * keys.length + k))));
        const claims = await Promise.all(Array.from({ length: 8 }, (_, w) => store().claimDue(claim({ owner: `worker-${w}` }))));
        const leased = claims.flat();
        expect(leased.map((d) => d.orderingKey).sort()).toEqual(keys);
        expect(sorted(leased)).toEqual(keys.map((key) => `${key}-0`));
      });

      it('should put a redelivered dead delivery back by its sequence, after the attempt in flight of its key', async () => {
        await store().insertMany([ordered('old', 'k', 1, { status: 'dead', failures: 3, finishedAt: NOW - 1 }), ordered('s5', 'k', 5), ordered('s6', 'k', 6)]);
        expect(ids(await store().claimDue(claim()))).toEqual(['s5']);
        await store().redeliver('hub-o', 'old', NOW);
        await expect(store().claimDue(claim({ owner: 'worker-b' }))).resolves.toEqual([]);
        await store().complete('s5', 'worker-a', done());
        expect(ids(await store().claimDue(claim()))).toEqual(['old']);
        await store().complete('old', 'worker-a', done());
        expect(ids(await store().claimDue(claim()))).toEqual(['s6']);
      });

      it('should count ordered heads against the per-hub limit and the claim limit', async () => {
        await store().insertMany([ordered('a', 'ka', 1), ordered('b', 'kb', 2), ordered('c', 'kc', 3), delivery('p', 'hub-o', { nextAttemptAt: NOW - 5_000 })]);
        const first = await store().claimDue(claim({ perHubLimit: 2 }));
        expect(first).toHaveLength(2);
        const second = await store().claimDue(claim({ perHubLimit: 2, inFlightByHub: new Map([['hub-o', 2]]) }));
        expect(second).toEqual([]);
        const rest = await store().claimDue(claim({ limit: 1, owner: 'worker-b' }));
        expect(rest).toHaveLength(1);
      });

      it('should count ordered heads against a hub\'s own limit, one per key still', async () => {
        await store().insertMany([ordered('a', 'ka', 1), ordered('b', 'kb', 2), ordered('c', 'kc', 3), ordered('a2', 'ka', 4)]);
        const claimed = await store().claimDue(claim({ perHubLimit: 1, hubLimit: new Map([['hub-o', 8]]) }));
        expect(sorted(claimed)).toEqual(['a', 'b', 'c']);
      });

      it('should keep the same key of different hubs apart', async () => {
        await store().insertMany([ordered('o1', 'k', 1), ordered('o2', 'k', 2), delivery('x1', 'hub-x', { orderingKey: 'k', sequence: 1 })]);
        expect(sorted(await store().claimDue(claim()))).toEqual(['o1', 'x1']);
      });
    });

    describe('rate budgets, postpone and worker heartbeats', () => {
      it('should claim no more of a limited hub than its budget, none at 0, and leave unlisted hubs to perHubLimit', async () => {
        await store().insertMany([
          ...['a1', 'a2', 'a3'].map((id) => delivery(id, 'hub-a')),
          ...['b1', 'b2'].map((id) => delivery(id, 'hub-b')),
          ...['c1', 'c2', 'c3'].map((id) => delivery(id, 'hub-c')),
        ]);
        const claimed = await store().claimDue(claim({ perHubLimit: 2, hubBudget: new Map([['hub-a', 1], ['hub-b', 0]]) }));
        const byHub = (hubId: string) => claimed.filter((d) => d.hubId === hubId).length;
        expect([byHub('hub-a'), byHub('hub-b'), byHub('hub-c')]).toEqual([1, 0, 2]);
      });

      it('should count what a limited hub has in flight against the smaller of its budget and perHubLimit', async () => {
        await store().insertMany(['a1', 'a2', 'a3'].map((id) => delivery(id, 'hub-a')));
        const claimed = await store().claimDue(claim({ perHubLimit: 2, inFlightByHub: new Map([['hub-a', 1]]), hubBudget: new Map([['hub-a', 5]]) }));
        expect(claimed).toHaveLength(1);
      });

      it('should give a postponed delivery back unattempted, due at the given time, for the lease owner only', async () => {
        await store().insertMany([delivery('p1', 'hub-a')]);
        await store().claimDue(claim());
        await expect(store().postpone('p1', 'worker-b', NOW + 5_000)).resolves.toBe(false);
        await expect(store().postpone('p1', 'worker-a', NOW + 5_000)).resolves.toBe(true);
        const got = await store().get('hub-a', 'p1');
        expect(got).toMatchObject({ status: 'pending', nextAttemptAt: NOW + 5_000, attempts: [], failures: 0 });
        expect(got?.leaseOwner).toBeUndefined();
        await expect(store().claimDue(claim({ now: NOW + 4_999 }))).resolves.toEqual([]);
        expect(ids(await store().claimDue(claim({ now: NOW + 5_000, owner: 'worker-b' })))).toEqual(['p1']);
        await expect(store().postpone('unknown', 'worker-a', NOW)).resolves.toBe(false);
      });

      it('should count the workers alive within the window, forgetting the stale', async () => {
        await expect(store().heartbeat('worker', 'w1', NOW, 3_000)).resolves.toBe(1);
        await expect(store().heartbeat('worker', 'w2', NOW + 1_000, 3_000)).resolves.toBe(2);
        await expect(store().heartbeat('worker', 'w1', NOW + 2_000, 3_000)).resolves.toBe(2);
        // w2 was last seen at NOW + 1000: 3 s later it no longer counts.
        await expect(store().heartbeat('worker', 'w1', NOW + 4_000, 3_000)).resolves.toBe(1);
      });

      it('should count each group apart: one process both delivers and serves the API under one name', async () => {
        await expect(store().heartbeat('worker', 'p1', NOW, 3_000)).resolves.toBe(1);
        await expect(store().heartbeat('api', 'p1', NOW, 3_000)).resolves.toBe(1);
        await expect(store().heartbeat('api', 'p2', NOW + 500, 3_000)).resolves.toBe(2);
        await expect(store().heartbeat('worker', 'p1', NOW + 1_000, 3_000)).resolves.toBe(1);
        // The API processes' window is their own: a short one forgets p1 without touching the worker.
        await expect(store().heartbeat('api', 'p2', NOW + 1_500, 1_000)).resolves.toBe(1);
        await expect(store().heartbeat('worker', 'p1', NOW + 2_000, 3_000)).resolves.toBe(1);
      });
    });

    describe('attemptsSince', () => {
      it("should give the hub's attempts at or after the time, of every delivery, and nothing of other hubs", async () => {
        await store().insertMany([
          delivery('d1', 'hub-a', { attempts: [attempt(1, 'failed', 500), attempt(2, 'delivered', 204)], status: 'delivered' }),
          delivery('d2', 'hub-a', { attempts: [attempt(3, 'failed')] }),
          delivery('d3', 'hub-b', { attempts: [attempt(4, 'delivered', 200)] }),
        ]);
        // attempt(n).at is created(100 + n): since created(102) keeps attempts 2 and 3 of hub-a.
        const found = await store().attemptsSince('hub-a', created(102));
        expect(found.sort((a, b) => a.at.localeCompare(b.at))).toEqual([
          { at: created(102), durationMs: 24, outcome: 'delivered' },
          { at: created(103), durationMs: 36, outcome: 'failed' },
        ]);
        await expect(store().attemptsSince('hub-none', created(0))).resolves.toEqual([]);
      });
    });

    describe('staged deliveries (written before their event is stored)', () => {
      const staged = (id: string, hubId: string, eventResourceId: string, nextAttemptAt = NOW - 1_000) =>
        delivery(id, hubId, { status: 'staged', eventResourceId, nextAttemptAt });

      it('should never claim a staged delivery, however due', async () => {
        await store().insertMany([staged('s1', 'hub-a', 'evt-1'), staged('s2', 'hub-b', 'evt-1', NOW - 60_000)]);
        await expect(store().claimDue(claim())).resolves.toEqual([]);
      });

      it('should make exactly the staged deliveries of the event claimable on release, and count them', async () => {
        await store().insertMany([staged('s1', 'hub-a', 'evt-1'), staged('s2', 'hub-b', 'evt-1'), staged('s3', 'hub-a', 'evt-2')]);
        await expect(store().releaseStaged('evt-1')).resolves.toBe(2);
        expect(sorted(await store().claimDue(claim()))).toEqual(['s1', 's2']);
        await expect(store().releaseStaged('evt-1')).resolves.toBe(0);
        await expect(store().releaseStaged('evt-unknown')).resolves.toBe(0);
      });

      it('should not show staged deliveries through get, list or redeliver until released', async () => {
        await store().insertMany([staged('s1', 'hub-a', 'evt-1'), delivery('p1', 'hub-a')]);
        await expect(store().get('hub-a', 's1')).resolves.toBeUndefined();
        await expect(store().redeliver('hub-a', 's1', NOW)).resolves.toBeUndefined();
        const page = await store().list('hub-a', listQuery());
        expect({ ids: ids(page.items), total: page.total }).toEqual({ ids: ['p1'], total: 1 });
        await store().releaseStaged('evt-1');
        await expect(store().get('hub-a', 's1')).resolves.toMatchObject({ id: 's1', status: 'pending' });
      });

      it('should not count staged deliveries as pending', async () => {
        await store().insertMany([staged('s1', 'hub-a', 'evt-1')]);
        await expect(store().pendingStats()).resolves.toEqual({ count: 0, oldestCreatedAt: undefined });
      });

      it('should list staged deliveries written before the cutoff, at most limit, whole', async () => {
        const old1 = staged('old-1', 'hub-a', 'evt-1', NOW - 10_000);
        await store().insertMany([
          structuredClone(old1),
          staged('old-2', 'hub-b', 'evt-2', NOW - 9_000),
          staged('young', 'hub-a', 'evt-3', NOW),
          delivery('pending-old', 'hub-a', { nextAttemptAt: NOW - 20_000 }),
        ]);
        const listed = await store().listStaged(NOW - 5_000, 10);
        expect(sorted(listed)).toEqual(['old-1', 'old-2']);
        expect(listed.find((d) => d.id === 'old-1')).toEqual(old1);
        await expect(store().listStaged(NOW - 5_000, 1)).resolves.toHaveLength(1);
        await store().releaseStaged('evt-1');
        expect(ids(await store().listStaged(NOW - 5_000, 10))).toEqual(['old-2']);
      });

      it('should delete staged deliveries with their event (a publish that failed)', async () => {
        await store().insertMany([staged('s1', 'hub-a', 'evt-1'), staged('s2', 'hub-b', 'evt-1')]);
        await expect(store().deleteByEvent('evt-1')).resolves.toBe(2);
        await expect(store().releaseStaged('evt-1')).resolves.toBe(0);
        await expect(store().listStaged(NOW + 1, 10)).resolves.toEqual([]);
        await expect(store().claimDue(claim())).resolves.toEqual([]);
      });
    });

    describe('complete', () => {
      it('should record the attempt, set the outcome and release the lease for the lease owner', async () => {
        const original = delivery('d1', 'h1', { failures: 1, attempts: [attempt(1, 'failed', 500)] });
        await store().insertMany([original]);
        await store().claimDue(claim({ owner: 'worker-a' }));
        const second = attempt(2, 'delivered', 204);
        const deliveredAt = new Date(NOW + 50).toISOString();
        await expect(
          store().complete('d1', 'worker-a', { attempt: second, status: 'delivered', failures: 1, nextAttemptAt: NOW + 50, deliveredAt }),
        ).resolves.toBe(true);
        const got = (await store().get('h1', 'd1')) as Delivery;
        expect(got).toEqual({ ...original, attempts: [attempt(1, 'failed', 500), second], status: 'delivered', nextAttemptAt: NOW + 50, deliveredAt });
        expect(got).not.toHaveProperty('leaseOwner');
        expect(got).not.toHaveProperty('leaseUntil');
      });

      it('should record a failed attempt and leave the delivery pending for its next attempt', async () => {
        await store().insertMany([delivery('d1', 'h1')]);
        await store().claimDue(claim({ owner: 'worker-a' }));
        const first = attempt(1, 'failed', 503);
        await expect(
          store().complete('d1', 'worker-a', { attempt: first, status: 'pending', failures: 1, nextAttemptAt: NOW + 10_000 }),
        ).resolves.toBe(true);
        const got = (await store().get('h1', 'd1')) as Delivery;
        expect(got).toMatchObject({ status: 'pending', failures: 1, nextAttemptAt: NOW + 10_000, attempts: [first] });
        expect(got.deliveredAt).toBeUndefined();
        expect(got).not.toHaveProperty('leaseOwner');
        // Not due yet, then due again when the time comes, and the next attempt is appended.
        await expect(store().claimDue(claim({ owner: 'worker-b', now: NOW + 9_999 }))).resolves.toEqual([]);
        await expect(store().claimDue(claim({ owner: 'worker-b', now: NOW + 10_000 }))).resolves.toHaveLength(1);
        const dead = attempt(2, 'failed', 500);
        await expect(
          store().complete('d1', 'worker-b', { attempt: dead, status: 'dead', failures: 2, nextAttemptAt: NOW + 10_000 }),
        ).resolves.toBe(true);
        await expect(store().get('h1', 'd1')).resolves.toMatchObject({ status: 'dead', failures: 2, attempts: [first, dead] });
        await expect(store().claimDue(claim({ owner: 'worker-c', now: NOW + 1_000_000 }))).resolves.toEqual([]);
      });

      it('should refuse another owner and change nothing', async () => {
        await store().insertMany([delivery('d1', 'h1')]);
        await store().claimDue(claim({ owner: 'worker-a' }));
        const before = await store().get('h1', 'd1');
        const outcome: AttemptOutcome = {
          attempt: attempt(1, 'delivered', 200),
          status: 'delivered',
          failures: 0,
          nextAttemptAt: NOW,
          deliveredAt: new Date(NOW).toISOString(),
        };
        await expect(store().complete('d1', 'worker-b', outcome)).resolves.toBe(false);
        await expect(store().get('h1', 'd1')).resolves.toEqual(before);
        expect(before).toMatchObject({ leaseOwner: 'worker-a', status: 'pending', attempts: [] });
      });

      it('should refuse when nobody holds the lease, when it was already completed, and for an unknown id', async () => {
        const original = delivery('d1', 'h1');
        await store().insertMany([original]);
        const outcome: AttemptOutcome = { attempt: attempt(1, 'failed', 500), status: 'pending', failures: 1, nextAttemptAt: NOW + 1_000 };
        await expect(store().complete('d1', 'worker-a', outcome)).resolves.toBe(false);
        await expect(store().get('h1', 'd1')).resolves.toEqual(original);
        await store().claimDue(claim({ owner: 'worker-a' }));
        await expect(store().complete('d1', 'worker-a', outcome)).resolves.toBe(true);
        await expect(store().complete('d1', 'worker-a', outcome)).resolves.toBe(false);
        await expect(store().get('h1', 'd1')).resolves.toMatchObject({ attempts: [outcome.attempt], failures: 1 });
        await expect(store().complete('unknown', 'worker-a', outcome)).resolves.toBe(false);
      });
    });

    describe('release', () => {
      it("should clear only the owner's leases, return the count and make them claimable at once", async () => {
        await store().insertMany([
          delivery('d1', 'h1', { nextAttemptAt: NOW - 3_000 }),
          delivery('d2', 'h2', { nextAttemptAt: NOW - 2_000 }),
          delivery('d3', 'h3', { nextAttemptAt: NOW - 1_000 }),
          delivery('d4', 'h4', { nextAttemptAt: NOW + 5_000 }),
        ]);
        await store().claimDue(claim({ owner: 'worker-a', limit: 2 }));
        await store().claimDue(claim({ owner: 'worker-b' }));
        await expect(store().get('h3', 'd3')).resolves.toMatchObject({ leaseOwner: 'worker-b' });

        await expect(store().release('worker-a')).resolves.toBe(2);
        for (const [hubId, id, due] of [['h1', 'd1', NOW - 3_000], ['h2', 'd2', NOW - 2_000]] as const) {
          const d = (await store().get(hubId, id)) as Delivery;
          expect(d).not.toHaveProperty('leaseOwner');
          expect(d).not.toHaveProperty('leaseUntil');
          expect(d).toMatchObject({ status: 'pending', nextAttemptAt: due });
        }
        await expect(store().get('h3', 'd3')).resolves.toMatchObject({ leaseOwner: 'worker-b', leaseUntil: NOW + LEASE_MS });

        const again = await store().claimDue(claim({ owner: 'worker-c' }));
        expect(ids(again)).toEqual(['d1', 'd2']);
        await expect(store().release('worker-a')).resolves.toBe(0);
        await expect(store().release('nobody')).resolves.toBe(0);
        await expect(store().release('worker-c')).resolves.toBe(2);
        await expect(store().release('worker-b')).resolves.toBe(1);
      });
    });

    describe('list', () => {
      // Inserted in creation order; the ids are deliberately not in that order.
      async function insertLog(): Promise<void> {
        await store().insertMany([
          delivery('d-e', 'hub-a', { status: 'delivered', attempts: [attempt(1, 'delivered', 200)], deliveredAt: created(60) }),
          delivery('x-1', 'hub-b', { status: 'dead' }),
          delivery('d-b', 'hub-a', { status: 'dead', failures: 3, attempts: [attempt(1, 'failed', 503), attempt(2), attempt(3, 'failed', 500)] }),
          delivery('d-d', 'hub-a', { status: 'pending', failures: 1, attempts: [attempt(1, 'failed', 503)], eventType: 'ProductOrderDeleteEvent' }),
        ]);
        await store().insertMany([
          delivery('d-a', 'hub-a', { status: 'dead', failures: 3, attempts: [attempt(1), attempt(2), attempt(3)] }),
          delivery('x-2', 'hub-b'),
          delivery('d-c', 'hub-a'),
        ]);
      }

      const ORDER = ['d-e', 'd-b', 'd-d', 'd-a', 'd-c'];

      it("should return the hub's deliveries in creation order with the total", async () => {
        await insertLog();
        const page = await store().list('hub-a', listQuery());
        expect(ids(page.items)).toEqual(ORDER);
        expect(page.total).toBe(5);
        expect(page.items[1]).toEqual(await store().get('hub-a', 'd-b'));
        const other = await store().list('hub-b', listQuery());
        expect(ids(other.items)).toEqual(['x-1', 'x-2']);
        expect(other.total).toBe(2);
      });

      it('should give an empty page for a hub without deliveries', async () => {
        await insertLog();
        await expect(store().list('hub-z', listQuery())).resolves.toEqual({ items: [], total: 0 });
      });

      it.each<[number, number, string[]]>([
        [0, 2, ['d-e', 'd-b']],
        [2, 2, ['d-d', 'd-a']],
        [4, 2, ['d-c']],
        [1, 3, ['d-b', 'd-d', 'd-a']],
        [5, 2, []],
        [10, 10, []],
        [0, 0, []],
      ])('should page with offset %p and limit %p and count every delivery', async (offset, limit, expected) => {
        await insertLog();
        const page = await store().list('hub-a', listQuery({ offset, limit }));
        expect(ids(page.items)).toEqual(expected);
        expect(page.total).toBe(5);
      });

      it.each<[string, QueryPairs, string[]]>([
        ['status=dead', [['status', 'dead']], ['d-b', 'd-a']],
        ['status=pending', [['status', 'pending']], ['d-d', 'd-c']],
        ['status=dead,delivered', [['status', 'dead,delivered']], ['d-e', 'd-b', 'd-a']],
        ['status.ne=pending', [['status.ne', 'pending']], ['d-e', 'd-b', 'd-a']],
        ['failures.gt=0 (numeric)', [['failures.gt', '0']], ['d-b', 'd-d', 'd-a']],
        ['failures=3', [['failures', '3']], ['d-b', 'd-a']],
        ['eventType', [['eventType', 'ProductOrderDeleteEvent']], ['d-d']],
        ['eventType.regex', [['eventType.regex', 'Create']], ['d-e', 'd-b', 'd-a', 'd-c']],
        ['attempts.statusCode (through an array)', [['attempts.statusCode', '503']], ['d-b', 'd-d']],
        ['status and failures ANDed', [['status', 'dead'], ['failures.gte', '3']], ['d-b', 'd-a']],
        ['id', [['id', 'd-d,d-a']], ['d-d', 'd-a']],
        ['no match', [['status', 'unknown']], []],
      ])('should filter by %s', async (_label, pairs, expected) => {
        await insertLog();
        const page = await store().list('hub-a', listQuery({ filter: parseFilter(pairs) }));
        expect(ids(page.items)).toEqual(expected);
        expect(page.total).toBe(expected.length);
      });

      it('should count all filter matches before paging', async () => {
        await insertLog();
        const page = await store().list('hub-a', listQuery({ filter: parseFilter([['status', 'dead,delivered']]), offset: 1, limit: 1 }));
        expect(ids(page.items)).toEqual(['d-b']);
        expect(page.total).toBe(3);
      });
    });

    describe('redeliver', () => {
      const LATER = NOW + 3_600_000;

      it.each<['dead' | 'delivered']>([['dead'], ['delivered']])(
        'should make a %s delivery pending, due now, with failures 0, keeping its attempts',
        async (status) => {
          const attempts = status === 'dead' ? [attempt(1, 'failed', 500), attempt(2), attempt(3, 'failed', 503)] : [attempt(1, 'delivered', 200)];
          const original = delivery('d1', 'h1', {
            status,
            failures: status === 'dead' ? 3 : 0,
            attempts,
            nextAttemptAt: NOW - 100_000,
            ...(status === 'delivered' ? { deliveredAt: created(70) } : {}),
          });
          await store().insertMany([original]);
          const result = await store().redeliver('h1', 'd1', LATER);
          expect(result).toMatchObject({ id: 'd1', hubId: 'h1', status: 'pending', failures: 0, nextAttemptAt: LATER, attempts });
          expect(result).toMatchObject({ url: original.url, payload: original.payload, eventId: original.eventId, createdAt: original.createdAt });
          await expect(store().get('h1', 'd1')).resolves.toEqual(result);
          // Due at once, and only then.
          await expect(store().claimDue(claim({ now: LATER - 1 }))).resolves.toEqual([]);
          await expect(store().claimDue(claim({ now: LATER }))).resolves.toEqual([expect.objectContaining({ id: 'd1' })]);
        },
      );

      it('should leave a pending delivery as it is and return it', async () => {
        const original = delivery('d1', 'h1', { failures: 2, attempts: [attempt(1), attempt(2)], nextAttemptAt: NOW + 50_000 });
        await store().insertMany([original]);
        await expect(store().redeliver('h1', 'd1', LATER)).resolves.toEqual(original);
        await expect(store().get('h1', 'd1')).resolves.toEqual(original);
      });

      it('should give undefined for an unknown id or the wrong hub, changing nothing', async () => {
        const original = delivery('d1', 'h1', { status: 'dead', failures: 3, attempts: [attempt(1)] });
        await store().insertMany([original]);
        await expect(store().redeliver('h1', 'unknown', LATER)).resolves.toBeUndefined();
        await expect(store().redeliver('h2', 'd1', LATER)).resolves.toBeUndefined();
        await expect(store().get('h1', 'd1')).resolves.toEqual(original);
      });
    });

    describe('deleteFinishedBefore (retention)', () => {
      const CUTOFF = NOW - 60_000;

      async function insertFinishedAndPending(): Promise<void> {
        await store().insertMany([
          delivery('old-delivered', 'h1', { status: 'delivered', deliveredAt: created(1), finishedAt: CUTOFF - 10 }),
          delivery('old-dead', 'h2', { status: 'dead', failures: 3, finishedAt: CUTOFF - 5 }),
          delivery('new-delivered', 'h1', { status: 'delivered', deliveredAt: created(2), finishedAt: CUTOFF }),
          delivery('pending', 'h1'),
          delivery('unfinished-legacy', 'h1', { status: 'delivered', deliveredAt: created(3) }),
        ]);
      }

      it('should delete delivered and dead deliveries finished before the cutoff, and nothing else', async () => {
        await insertFinishedAndPending();
        await expect(store().deleteFinishedBefore(CUTOFF, 100)).resolves.toBe(2);
        await expect(store().get('h1', 'old-delivered')).resolves.toBeUndefined();
        await expect(store().get('h2', 'old-dead')).resolves.toBeUndefined();
        expect(sorted((await store().list('h1', listQuery())).items)).toEqual(['new-delivered', 'pending', 'unfinished-legacy']);
        await expect(store().deleteFinishedBefore(CUTOFF, 100)).resolves.toBe(0);
      });

      it('should delete at most `limit` per call', async () => {
        await insertFinishedAndPending();
        await expect(store().deleteFinishedBefore(CUTOFF, 1)).resolves.toBe(1);
        await expect(store().deleteFinishedBefore(CUTOFF, 1)).resolves.toBe(1);
        await expect(store().deleteFinishedBefore(CUTOFF, 1)).resolves.toBe(0);
      });

      it('should record finishedAt on completion and clear it on redelivery', async () => {
        await store().insertMany([delivery('d1', 'h1')]);
        await store().claimDue(claim());
        const done: AttemptOutcome = {
          attempt: attempt(1, 'delivered', 200), status: 'delivered', failures: 0, nextAttemptAt: NOW, deliveredAt: created(90), finishedAt: CUTOFF - 1,
        };
        expect(await store().complete('d1', 'worker-a', done)).toBe(true);
        expect((await store().get('h1', 'd1'))?.finishedAt).toBe(CUTOFF - 1);
        const again = await store().redeliver('h1', 'd1', NOW);
        expect(again?.finishedAt).toBeUndefined();
        // Pending again: retention leaves it alone.
        await expect(store().deleteFinishedBefore(CUTOFF, 100)).resolves.toBe(0);
        await expect(store().get('h1', 'd1')).resolves.toMatchObject({ status: 'pending' });
      });
    });

    describe('deleteByHub and deleteByEvent', () => {
      async function insertSome(): Promise<void> {
        await store().insertMany([
          delivery('a1', 'hub-a', { eventResourceId: 'e1' }),
          delivery('a2', 'hub-a', { eventResourceId: 'e2', status: 'dead' }),
          delivery('a3', 'hub-a', { eventResourceId: 'e3', status: 'delivered' }),
          delivery('b1', 'hub-b', { eventResourceId: 'e1' }),
          delivery('b2', 'hub-b', { eventResourceId: 'e2' }),
          delivery('c1', 'hub-c', { eventResourceId: 'e1' }),
        ]);
      }

      it("should delete exactly a hub's deliveries and return the count", async () => {
        await insertSome();
        await expect(store().deleteByHub('hub-a')).resolves.toBe(3);
        await expect(store().list('hub-a', listQuery())).resolves.toEqual({ items: [], total: 0 });
        await expect(store().get('hub-a', 'a1')).resolves.toBeUndefined();
        expect(ids((await store().list('hub-b', listQuery())).items)).toEqual(['b1', 'b2']);
        expect(ids((await store().list('hub-c', listQuery())).items)).toEqual(['c1']);
        await expect(store().deleteByHub('hub-a')).resolves.toBe(0);
        await expect(store().deleteByHub('unknown')).resolves.toBe(0);
      });

      it("should delete exactly an event's deliveries and return the count", async () => {
        await insertSome();
        await expect(store().deleteByEvent('e1')).resolves.toBe(3);
        expect(ids((await store().list('hub-a', listQuery())).items)).toEqual(['a2', 'a3']);
        expect(ids((await store().list('hub-b', listQuery())).items)).toEqual(['b2']);
        await expect(store().list('hub-c', listQuery())).resolves.toEqual({ items: [], total: 0 });
        await expect(store().deleteByEvent('e1')).resolves.toBe(0);
        await expect(store().deleteByEvent('unknown')).resolves.toBe(0);
        await expect(store().deleteByEvent('e2')).resolves.toBe(2);
        expect(ids((await store().list('hub-a', listQuery())).items)).toEqual(['a3']);
      });
    });

    describe('pendingStats', () => {
      it('should give 0 and no oldest for an empty store', async () => {
        const stats = await store().pendingStats();
        expect(stats.count).toBe(0);
        expect(stats.oldestCreatedAt).toBeUndefined();
      });

      it('should count pending deliveries only, leased ones included, with the oldest pending createdAt in ms', async () => {
        await store().insertMany([
          delivery('old-dead', 'h1', { status: 'dead', createdAt: created(1) }),
          delivery('old-delivered', 'h1', { status: 'delivered', createdAt: created(2) }),
          delivery('p-new', 'h1', { createdAt: created(40), nextAttemptAt: NOW + 60_000 }),
          delivery('p-old', 'h2', { createdAt: created(10) }),
          delivery('p-mid', 'h3', { createdAt: created(20) }),
        ]);
        await store().claimDue(claim({ limit: 1 }));
        await expect(store().pendingStats()).resolves.toEqual({ count: 3, oldestCreatedAt: Date.parse(created(10)) });
      });

      it('should follow deliveries out of pending and back', async () => {
        await store().insertMany([delivery('p1', 'h1', { createdAt: created(10) }), delivery('p2', 'h2', { createdAt: created(20) })]);
        await store().claimDue(claim({ limit: 1 }));
        await store().complete('p1', 'worker-a', deliveredOutcome());
        await expect(store().pendingStats()).resolves.toEqual({ count: 1, oldestCreatedAt: Date.parse(created(20)) });
        await store().redeliver('h1', 'p1', NOW);
        await expect(store().pendingStats()).resolves.toEqual({ count: 2, oldestCreatedAt: Date.parse(created(10)) });
      });
    });

    describe('countUnfinished', () => {
      it('should give 0 for an empty store', async () => {
        await expect(store().countUnfinished()).resolves.toBe(0);
      });

      it('should count staged and pending deliveries, leased ones included, and not finished ones', async () => {
        await store().insertMany([
          delivery('dead', 'h1', { status: 'dead' }),
          delivery('delivered', 'h1', { status: 'delivered' }),
          delivery('staged', 'h1', { status: 'staged', eventResourceId: 'e9' }),
          delivery('later', 'h1', { nextAttemptAt: NOW + 60_000 }),
          delivery('due', 'h2'),
        ]);
        await store().claimDue(claim({ limit: 1 }));
        await expect(store().countUnfinished()).resolves.toBe(3);
      });

      it('should follow deliveries as they finish, are redelivered and deleted', async () => {
        await store().insertMany([delivery('p1', 'h1'), delivery('p2', 'h2', { eventResourceId: 'e2' })]);
        await store().claimDue(claim({ limit: 1 }));
        await store().complete('p1', 'worker-a', deliveredOutcome());
        await expect(store().countUnfinished()).resolves.toBe(1);
        await store().redeliver('h1', 'p1', NOW);
        await expect(store().countUnfinished()).resolves.toBe(2);
        await store().deleteByEvent('e2');
        await expect(store().countUnfinished()).resolves.toBe(1);
      });
    });
  });
}
