import { parseFilter, type QueryPairs } from '../../src/query/parse-filter';
import { TOP_LEVEL, type ListQuery, type Resource, type Stores } from '../../src/store/store-types';

/**
 * The audit store (Stores.audit, a newestFirst ResourceStore) on every backing store: lists newest
 * first, filtered, projected and paged in the store; retention deletes the oldest. The embedded
 * store's cap is in test/unit/memory-limits.test.ts (MongoDB has none).
 */

const T = Date.parse('2026-03-01T00:00:00.000Z');

/** Stored in this order, a second apart: the list must give them back the other way round. */
const RECORDS: ReadonlyArray<Resource> = [
  ['r1', 'admin', 'createTopic', '/tmf-api/event/v4/topic/t1', 201],
  ['r2', 'billing', 'createHub', 'http://hub.test/tmf-api/event/v4/topic/t1/hub/h1', 201],
  ['r3', 'billing', 'createEvent', '/tmf-api/event/v4/topic/t1/event', 403],
  ['r4', 'admin', 'deleteTopic', '/tmf-api/event/v4/topic/t1', 204],
  ['r5', 'unauthenticated', 'GET /tmf-api/event/v4/topic', '/tmf-api/event/v4/topic', 401],
].map(([id, principal, operation, resource, status], i) => ({
  id: id as string,
  at: new Date(T + i * 1000).toISOString(),
  principal,
  operation,
  resource,
  status,
  '@type': 'AuditRecord',
}));

const query = (overrides: Partial<ListQuery> = {}): ListQuery => ({ filter: [], offset: 0, limit: 100, ...overrides });
const ids = (items: readonly Resource[]) => items.map((r) => r.id);

/** TMF630 filters an admin would use, with the ids expected newest first. */
const FILTERS: ReadonlyArray<[string, QueryPairs, string[]]> = [
  ['principal', [['principal', 'billing']], ['r3', 'r2']],
  ['operation', [['operation', 'createTopic,deleteTopic']], ['r4', 'r1']],
  ['status (a number)', [['status', '201']], ['r2', 'r1']],
  ['refusals (status.gte)', [['status.gte', '400']], ['r5', 'r3']],
  ['at.gte (ISO time)', [['at.gte', new Date(T + 3000).toISOString()]], ['r5', 'r4']],
  ['a window of time', [['at.gt', new Date(T).toISOString()], ['at.lt', new Date(T + 3000).toISOString()]], ['r3', 'r2']],
  ['resource.regex', [['resource.regex', '/topic/t1$']], ['r4', 'r1']],
  ['principal and status', [['principal', 'admin'], ['status', '204']], ['r4']],
  ['no match', [['principal', 'nobody']], []],
];

export function describeAuditStoreContract(name: string, makeStores: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>): void {
  describe(`${name} audit store (newest first)`, () => {
    let stores: Stores;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ stores, cleanup } = await makeStores());
      for (const [i, record] of RECORDS.entries()) await stores.audit.insert(TOP_LEVEL, structuredClone(record), T + i * 1000);
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('should list the newest first, whole and counted', async () => {
      const page = await stores.audit.list(TOP_LEVEL, query());
      expect(ids(page.items)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
      expect(page.total).toBe(5);
      expect(page.items[4]).toEqual(RECORDS[0]);
    });

    it.each<[number, number, string[]]>([
      [0, 2, ['r5', 'r4']],
      [2, 2, ['r3', 'r2']],
      [4, 2, ['r1']],
      [5, 2, []],
      [1, 0, []],
    ])('should page newest first with offset %p and limit %p, counting every record', async (offset, limit, expected) => {
      const page = await stores.audit.list(TOP_LEVEL, query({ offset, limit }));
      expect(ids(page.items)).toEqual(expected);
      expect(page.total).toBe(5);
    });

    it.each(FILTERS)('should filter by %s, newest first', async (_label, pairs, expected) => {
      const page = await stores.audit.list(TOP_LEVEL, query({ filter: parseFilter(pairs) }));
      expect(ids(page.items)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('should page a filtered list and count the matches before paging', async () => {
      const page = await stores.audit.list(TOP_LEVEL, query({ filter: parseFilter([['status.lt', '400']]), offset: 1, limit: 2 }));
      expect(ids(page.items)).toEqual(['r2', 'r1']);
      expect(page.total).toBe(3);
    });

    it('should project to the fields asked for, plus id and @type', async () => {
      const page = await stores.audit.list(TOP_LEVEL, query({ fields: ['principal', 'status'], limit: 1 }));
      expect(page.items).toEqual([{ id: 'r5', '@type': 'AuditRecord', principal: 'unauthenticated', status: 401 }]);
      await expect(stores.audit.get(TOP_LEVEL, 'r2', ['operation'])).resolves.toEqual({ id: 'r2', '@type': 'AuditRecord', operation: 'createHub' });
    });

    it('should put a record stored later first, after the others', async () => {
      await stores.audit.insert(TOP_LEVEL, { ...RECORDS[0], id: 'r6', at: new Date(T + 9000).toISOString() }, T + 9000);
      expect(ids((await stores.audit.list(TOP_LEVEL, query({ limit: 2 }))).items)).toEqual(['r6', 'r5']);
    });

    it('should delete the records stored before the retention cutoff, oldest first, and keep the rest newest first', async () => {
      await expect(stores.audit.deleteStoredBefore(T + 2000, 1)).resolves.toBe(1);
      await expect(stores.audit.get(TOP_LEVEL, 'r1')).resolves.toBeUndefined();
      await expect(stores.audit.deleteStoredBefore(T + 2000, 10)).resolves.toBe(1);
      await expect(stores.audit.deleteStoredBefore(T + 2000, 10)).resolves.toBe(0);
      const page = await stores.audit.list(TOP_LEVEL, query());
      expect(ids(page.items)).toEqual(['r5', 'r4', 'r3']);
      expect(page.total).toBe(3);
    });

    it('should keep the newest when trimmed, as a cap does', async () => {
      await expect(stores.audit.trimAll(2)).resolves.toBe(3);
      expect(ids((await stores.audit.list(TOP_LEVEL, query())).items)).toEqual(['r5', 'r4']);
    });
  });
}
