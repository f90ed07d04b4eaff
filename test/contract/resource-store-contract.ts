import { topicScopePattern } from '../../src/access/topic-scope';
import { matchesFilter } from '../../src/query/match-filter';
import { parseFilter, type QueryPairs } from '../../src/query/parse-filter';
import { DuplicateKeyError } from '../../src/store/store-errors';
import type { ListQuery, Resource, ResourceStore, Stores } from '../../src/store/store-types';

/**
 * Behaviour every Stores implementation must show, as promised by src/store/store-types.ts.
 * Only the public interface is used, so the same cases run against every backing store.
 */

type StoreName = 'topics' | 'events' | 'hubs' | 'listeners' | 'inbox' | 'schemas' | 'states';
const STORE_NAMES: readonly StoreName[] = ['topics', 'events', 'hubs', 'listeners', 'inbox', 'schemas', 'states'];

/** A resource; `eventId` follows `id` so fixtures never collide in the events store. */
function resource(id: string, extra: Record<string, unknown> = {}): Resource {
  return { id, '@type': 'Thing', eventId: `ev-${id}`, ...extra };
}

function query(overrides: Partial<ListQuery> = {}): ListQuery {
  return { filter: [], offset: 0, limit: 100, ...overrides };
}

const ids = (items: readonly Resource[]): string[] => items.map((item) => item.id);

/** Inserted in this order, which is deliberately not the order of the ids. */
const ORDERS: readonly Resource[] = [
  {
    id: 'o3',
    '@type': 'ProductOrder',
    eventId: 'ev-o3',
    state: 'acknowledged',
    quantity: 5,
    priority: 'high',
    name: 'Alpha order',
    orderDate: '2024-05-01T00:00:00Z',
    event: { productOrder: { state: 'completed', id: 'po3' } },
    relatedParty: [
      { role: 'buyer', name: 'Ann' },
      { role: 'seller', name: 'Sam' },
    ],
    tags: ['a', 'b'],
  },
  {
    id: 'o1',
    '@type': 'ProductOrder',
    eventId: 'ev-o1',
    state: 'completed',
    quantity: 10,
    priority: 'low',
    name: 'beta order',
    orderDate: '2023-12-31T10:00:00Z',
    event: { productOrder: { state: 'acknowledged', id: 'po1' } },
    relatedParty: [{ role: 'seller', name: 'Bob' }],
    tags: ['c'],
  },
  {
    id: 'o4',
    '@type': 'ProductOrder',
    eventId: 'ev-o4',
    state: 'failed',
    quantity: 9,
    name: 'Gamma',
    orderDate: '2024-01-15T00:00:00Z',
    event: { productOrder: { state: 'completed', id: 'po4' } },
    tags: [],
  },
  {
    id: 'o2',
    '@type': 'ProductOrder',
    eventId: 'ev-o2',
    state: 'completed',
    quantity: 100,
    priority: 'high',
    name: 'Alphabet',
    orderDate: '2024-02-01T00:00:00Z',
    event: { productOrder: { state: 'inProgress', id: 'po2' } },
    relatedParty: [{ role: 'buyer', name: 'Zoe' }],
  },
];

/** Filters as the HTTP layer passes them, with the ids expected in insertion order. */
const FILTER_CASES: ReadonlyArray<[string, QueryPairs, string[]]> = [
  ['eq on a string', [['state', 'completed']], ['o1', 'o2']],
  ['OR by comma', [['state', 'acknowledged,failed']], ['o3', 'o4']],
  ['OR by repeated key', [['state', 'acknowledged'], ['state', 'failed']], ['o3', 'o4']],
  ['eq on a number', [['quantity', '5']], ['o3']],
  ['gt on numbers (numeric, not lexicographic)', [['quantity.gt', '9']], ['o1', 'o2']],
  ['gt symbol form', [['quantity>9', '']], ['o1', 'o2']],
  ['gte on numbers', [['quantity.gte', '9']], ['o1', 'o4', 'o2']],
  ['lt on numbers', [['quantity.lt', '10']], ['o3', 'o4']],
  ['lte symbol form', [['quantity<', '10']], ['o3', 'o1', 'o4']],
  ['a numeric range', [['quantity.gt', '5'], ['quantity.lt', '100']], ['o1', 'o4']],
  ['gt on ISO date strings', [['orderDate.gt', '2024-01-01']], ['o3', 'o4', 'o2']],
  ['regex', [['name.regex', '^Alpha']], ['o3', 'o2']],
  ['regex that is case sensitive', [['name.regex', 'order$']], ['o3', 'o1']],
  ['a dotted path', [['event.productOrder.state', 'completed']], ['o3', 'o4']],
  ['a path through an array of objects', [['relatedParty.role', 'buyer']], ['o3', 'o2']],
  ['a terminal array', [['tags', 'b']], ['o3']],
  ['ne, including resources without the attribute', [['priority.ne', 'high']], ['o1', 'o4']],
  ['ne with several values', [['state.ne', 'completed,failed']], ['o3']],
  ['ne through an array of objects', [['relatedParty.role.ne', 'seller']], ['o4', 'o2']],
  ['several clauses ANDed', [['state', 'completed'], ['priority', 'high']], ['o2']],
  ['eq on @type', [['@type', 'ProductOrder']], ['o3', 'o1', 'o4', 'o2']],
  ['no match', [['state', 'unknown']], []],
  ['eq on a missing attribute', [['missing', 'x']], []],
];

export function describeResourceStoreContract(
  name: string,
  makeStores: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>,
): void {
  describe(`${name} stores (resource store contract)`, () => {
    let stores: Stores;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      cleanup = undefined;
      ({ stores, cleanup } = await makeStores());
    });

    afterEach(async () => {
      await cleanup?.();
    });

    it('should resolve ping()', async () => {
      await expect(stores.ping()).resolves.toBeUndefined();
    });

    describe.each(STORE_NAMES)('%s store', (storeName) => {
      const store = (): ResourceStore => stores[storeName];

      describe('insert and get', () => {
        it('should return an equal copy of an inserted resource', async () => {
          const original = resource('r1', { name: 'first', count: 3, enabled: true, nothing: null });
          await store().insert('s', structuredClone(original));
          await expect(store().get('s', 'r1')).resolves.toEqual(original);
        });

        it('should not let mutations of the returned object change what is stored', async () => {
          const original = resource('r1', { name: 'first', nested: { list: [1, 2] } });
          await store().insert('s', structuredClone(original));
          const got = (await store().get('s', 'r1')) as Resource;
          got.name = 'changed';
          (got.nested as { list: number[] }).list.push(3);
          got.added = true;
          await expect(store().get('s', 'r1')).resolves.toEqual(original);
        });

        it('should not let mutations of the inserted object change what is stored', async () => {
          const original = resource('r1', { name: 'first', nested: { list: [1, 2] } });
          const inserted = structuredClone(original);
          await store().insert('s', inserted);
          inserted.name = 'changed';
          (inserted.nested as { list: number[] }).list.push(3);
          inserted.added = true;
          await expect(store().get('s', 'r1')).resolves.toEqual(original);
        });

        it('should not let mutations of listed items change what is stored', async () => {
          const original = resource('r1', { name: 'first', nested: { a: 1 } });
          await store().insert('s', structuredClone(original));
          const page = await store().list('s', query());
          page.items[0].name = 'changed';
          (page.items[0].nested as { a: number }).a = 2;
          await expect(store().get('s', 'r1')).resolves.toEqual(original);
        });

        it('should return undefined for an unknown id', async () => {
          await store().insert('s', resource('r1'));
          await expect(store().get('s', 'unknown')).resolves.toBeUndefined();
        });

        it('should return undefined for an unknown scope', async () => {
          await expect(store().get('never-used', 'r1')).resolves.toBeUndefined();
        });

        it('should keep only the listed fields plus id and @type', async () => {
          await store().insert('s', resource('r1', { name: 'first', description: 'd', count: 3 }));
          const got = await store().get('s', 'r1', ['name', 'count']);
          expect(got).toEqual({ id: 'r1', '@type': 'Thing', name: 'first', count: 3 });
        });

        it('should keep a nested subset for dotted fields', async () => {
          await store().insert('s', resource('r1', { event: { productOrder: { state: 'done', id: 'po' }, x: 1 }, y: 2 }));
          const got = await store().get('s', 'r1', ['event.productOrder.state']);
          expect(got).toEqual({ id: 'r1', '@type': 'Thing', event: { productOrder: { state: 'done' } } });
        });

        it('should ignore listed fields the resource does not have', async () => {
          await store().insert('s', resource('r1', { name: 'first' }));
          const got = await store().get('s', 'r1', ['missing', 'name']);
          expect(got).toEqual({ id: 'r1', '@type': 'Thing', name: 'first' });
        });

        it('should keep extension attributes with "@" and nested structures intact', async () => {
          const original = resource('r1', {
            '@type': 'ProductOrderCreateEvent',
            '@baseType': 'Event',
            '@schemaLocation': 'https://example.com/schemas/ProductOrderCreateEvent.json',
            '@referredType': 'ProductOrder',
            eventTime: '2024-05-01T12:00:00.000Z',
            event: {
              productOrder: {
                id: 'po1',
                '@type': 'ProductOrder',
                orderItem: [
                  { id: '1', quantity: 2, product: { '@referredType': 'Product', characteristic: [{ name: 'colour', value: 'red' }] } },
                  { id: '2', quantity: 1.5, action: 'add', flags: [true, false], note: null },
                ],
              },
            },
            emptyObject: {},
            emptyList: [],
          });
          await store().insert('s', structuredClone(original));
          await expect(store().get('s', 'r1')).resolves.toEqual(original);
          const page = await store().list('s', query());
          expect(page.items).toEqual([original]);
        });
      });

      describe('scopes', () => {
        it('should keep the same id in two scopes apart', async () => {
          await store().insert('topic-a', resource('same', { owner: 'a' }));
          await store().insert('topic-b', resource('same', { owner: 'b' }));
          await expect(store().get('topic-a', 'same')).resolves.toMatchObject({ owner: 'a' });
          await expect(store().get('topic-b', 'same')).resolves.toMatchObject({ owner: 'b' });
        });

        it('should list only the resources of the scope', async () => {
          await store().insert('topic-a', resource('a1'));
          await store().insert('topic-b', resource('b1'));
          await store().insert('topic-a', resource('a2'));
          const pageA = await store().list('topic-a', query());
          expect(ids(pageA.items)).toEqual(['a1', 'a2']);
          expect(pageA.total).toBe(2);
          const pageB = await store().list('topic-b', query());
          expect(ids(pageB.items)).toEqual(['b1']);
          expect(pageB.total).toBe(1);
        });

        it('should not find a resource through another scope', async () => {
          await store().insert('topic-a', resource('a1'));
          await expect(store().get('topic-b', 'a1')).resolves.toBeUndefined();
          await expect(store().get('', 'a1')).resolves.toBeUndefined();
        });

        it('should treat the empty scope as a scope of its own', async () => {
          await store().insert('', resource('top'));
          await store().insert('x', resource('nested'));
          expect(ids((await store().list('', query())).items)).toEqual(['top']);
          await expect(store().get('', 'top')).resolves.toEqual(resource('top'));
        });
      });

      describe('list', () => {
        const LETTERS = ['e', 'b', 'd', 'a', 'c'];

        async function insertLetters(): Promise<void> {
          for (const id of LETTERS) await store().insert('s', resource(id, { letter: id }));
        }

        it('should give an empty page for an unknown scope', async () => {
          await expect(store().list('never-used', query())).resolves.toEqual({ items: [], total: 0 });
        });

        it('should return resources in insertion order', async () => {
          await insertLetters();
          const page = await store().list('s', query());
          expect(ids(page.items)).toEqual(LETTERS);
          expect(page.total).toBe(5);
          expect(page.items[1]).toEqual(resource('b', { letter: 'b' }));
        });

        it.each<[number, number, string[]]>([
          [0, 2, ['e', 'b']],
          [2, 2, ['d', 'a']],
          [4, 2, ['c']],
          [1, 3, ['b', 'd', 'a']],
          [0, 100, ['e', 'b', 'd', 'a', 'c']],
          [5, 2, []],
          [10, 3, []],
          [0, 0, []],
          [3, 0, []],
        ])('should page with offset %p and limit %p and still count every match', async (offset, limit, expected) => {
          await insertLetters();
          const page = await store().list('s', query({ offset, limit }));
          expect(ids(page.items)).toEqual(expected);
          expect(page.total).toBe(5);
        });

        it.each(FILTER_CASES)('should filter by %s like the matcher', async (_label, pairs, expected) => {
          for (const order of ORDERS) await store().insert('orders', structuredClone(order));
          const filter = parseFilter(pairs);
          const page = await store().list('orders', query({ filter }));
          expect(ids(page.items)).toEqual(expected);
          expect(page.total).toBe(expected.length);
          // The same answer as the in-process matcher, which defines the semantics.
          expect(ids(ORDERS.filter((order) => matchesFilter(order, filter)))).toEqual(expected);
          // Filtering does not alter what is returned.
          expect(page.items).toEqual(ORDERS.filter((order) => expected.includes(order.id)));
        });

        it('should count all filter matches before paging', async () => {
          for (const order of ORDERS) await store().insert('orders', structuredClone(order));
          const filter = parseFilter([['state', 'completed,acknowledged']]);
          const page = await store().list('orders', query({ filter, offset: 1, limit: 1 }));
          expect(ids(page.items)).toEqual(['o1']);
          expect(page.total).toBe(3);
          const beyond = await store().list('orders', query({ filter, offset: 3, limit: 10 }));
          expect(beyond).toEqual({ items: [], total: 3 });
        });

        it('should project listed items to the fields plus id and @type', async () => {
          for (const order of ORDERS) await store().insert('orders', structuredClone(order));
          const page = await store().list('orders', query({ fields: ['state', 'quantity'], limit: 2 }));
          expect(page.items).toEqual([
            { id: 'o3', '@type': 'ProductOrder', state: 'acknowledged', quantity: 5 },
            { id: 'o1', '@type': 'ProductOrder', state: 'completed', quantity: 10 },
          ]);
          expect(page.total).toBe(4);
        });

        it('should project dotted fields, through arrays too, together with a filter', async () => {
          for (const order of ORDERS) await store().insert('orders', structuredClone(order));
          const page = await store().list(
            'orders',
            query({ filter: parseFilter([['tags', 'b']]), fields: ['event.productOrder.state', 'relatedParty.role'] }),
          );
          expect(page.items).toEqual([
            {
              id: 'o3',
              '@type': 'ProductOrder',
              event: { productOrder: { state: 'completed' } },
              relatedParty: [{ role: 'buyer' }, { role: 'seller' }],
            },
          ]);
          expect(page.total).toBe(1);
        });

        it('should filter on attributes that are not among the projected fields', async () => {
          for (const order of ORDERS) await store().insert('orders', structuredClone(order));
          const page = await store().list(
            'orders',
            query({ filter: parseFilter([['priority', 'high']]), fields: ['name'] }),
          );
          expect(page.items).toEqual([
            { id: 'o3', '@type': 'ProductOrder', name: 'Alpha order' },
            { id: 'o2', '@type': 'ProductOrder', name: 'Alphabet' },
          ]);
        });
      });

      describe('countAll and a topic scope pattern', () => {
        it('should count the filter\'s matches over every scope, and none that was deleted', async () => {
          await store().insert('t1', resource('a', { owner: 'billing' }));
          await store().insert('t2', resource('b', { owner: 'billing' }));
          await store().insert('t2', resource('c', { owner: 'assurance' }));
          await store().insert('', resource('d', { owner: 'billing' }));
          await store().insert('t3', resource('e'));
          const billing = parseFilter([['owner', 'billing']]);
          expect(await store().countAll(billing)).toBe(3);
          expect(await store().countAll(parseFilter([['owner', 'nobody']]))).toBe(0);
          expect(await store().countAll([])).toBe(5);
          await store().delete('t2', 'b');
          expect(await store().countAll(billing)).toBe(2);
        });

        it('should filter names by a topic scope pattern as inTopicScope does, a final newline included', async () => {
          const names = ['orders', 'orders.x', 'orders.x.y', 'ordersx', 'orders.', 'alarms', 'alarms\n', 'billing'];
          for (const [i, name] of names.entries()) await store().insert('', resource(`r${i}`, { name }));
          const regex = topicScopePattern(['orders.*', 'alarms']);
          const page = await store().list('', query({ filter: [{ path: ['name'], op: 'regex', values: [regex.source], regex }] }));
          expect(page.items.map((item) => item.name)).toEqual(['orders.x', 'orders.x.y', 'alarms']);
          expect(page.total).toBe(3);
        });
      });

      describe('listStoredBetween', () => {
        const T = 1_700_000_000_000;
        async function storeAt(times: ReadonlyArray<[string, number]>): Promise<void> {
          for (const [id, at] of times) await store().insert('s', resource(id), at);
        }
        const window = async (from: number, to: number, offset = 0, limit = 100) => {
          const page = await store().listStoredBetween('s', from, to, offset, limit);
          return { ids: page.items.map((i) => i.resource.id), times: page.items.map((i) => i.storedAt), total: page.total };
        };

        it('should give the resources stored in the window, both edges included, in storing order, with their times', async () => {
          await storeAt([['a', T], ['b', T + 10], ['c', T + 10], ['d', T + 20], ['e', T + 30]]);
          await expect(window(T + 10, T + 20)).resolves.toEqual({ ids: ['b', 'c', 'd'], times: [T + 10, T + 10, T + 20], total: 3 });
          await expect(window(T, T)).resolves.toEqual({ ids: ['a'], times: [T], total: 1 });
          await expect(window(T + 1, T + 9)).resolves.toEqual({ ids: [], times: [], total: 0 });
          await expect(window(T + 31, T + 99)).resolves.toEqual({ ids: [], times: [], total: 0 });
          await expect(window(T - 5, T + 99)).resolves.toMatchObject({ ids: ['a', 'b', 'c', 'd', 'e'], total: 5 });
        });

        it('should page with offset and limit, counting the whole window', async () => {
          await storeAt([['a', T], ['b', T + 1], ['c', T + 2], ['d', T + 3]]);
          await expect(window(T, T + 3, 1, 2)).resolves.toMatchObject({ ids: ['b', 'c'], total: 4 });
          await expect(window(T, T + 3, 4, 2)).resolves.toMatchObject({ ids: [], total: 4 });
        });

        it('should leave out deleted resources and other scopes, and return whole resources', async () => {
          await storeAt([['a', T], ['b', T + 1]]);
          await store().insert('other', resource('x'), T);
          await store().delete('s', 'a');
          const page = await store().listStoredBetween('s', T, T + 1, 0, 10);
          expect(page).toEqual({ items: [{ resource: resource('b'), storedAt: T + 1 }], total: 1 });
        });

        it('should default storedAt to the time of the insert', async () => {
          const before = Date.now();
          await store().insert('s', resource('now'));
          const after = Date.now();
          await expect(window(before, after)).resolves.toMatchObject({ ids: ['now'], total: 1 });
        });
      });

      describe('trimAll and deleteStoredBefore', () => {
        const T = 1_700_000_000_000;

        it('should keep the newest resources over all scopes and delete the oldest, counting them', async () => {
          await store().insert('a', resource('a1'), T);
          await store().insert('b', resource('b1'), T + 1);
          await store().insert('a', resource('a2'), T + 2);
          await store().insert('c', resource('c1'), T + 3);
          await expect(store().trimAll(2)).resolves.toBe(2);
          await expect(store().get('a', 'a1')).resolves.toBeUndefined();
          await expect(store().get('b', 'b1')).resolves.toBeUndefined();
          expect(ids((await store().list('a', query())).items)).toEqual(['a2']);
          await expect(store().get('c', 'c1')).resolves.toEqual(resource('c1'));
          await expect(store().trimAll(2)).resolves.toBe(0);
          await expect(store().trimAll(5)).resolves.toBe(0);
        });

        it('should not count what was deleted some other way', async () => {
          await store().insert('a', resource('a1'), T);
          await store().insert('a', resource('a2'), T + 1);
          await store().insert('b', resource('b1'), T + 2);
          await store().delete('a', 'a1');
          await expect(store().trimAll(1)).resolves.toBe(1);
          await expect(store().get('a', 'a2')).resolves.toBeUndefined();
          await expect(store().get('b', 'b1')).resolves.toEqual(resource('b1'));
        });

        it('should delete resources stored before the cutoff, oldest first, at most limit per call', async () => {
          await store().insert('a', resource('old1'), T);
          await store().insert('b', resource('old2'), T + 10);
          await store().insert('a', resource('edge'), T + 20);
          await store().insert('a', resource('new'), T + 30);
          await expect(store().deleteStoredBefore(T + 20, 1)).resolves.toBe(1);
          await expect(store().get('a', 'old1')).resolves.toBeUndefined();
          await expect(store().deleteStoredBefore(T + 20, 10)).resolves.toBe(1);
          await expect(store().get('b', 'old2')).resolves.toBeUndefined();
          await expect(store().deleteStoredBefore(T + 20, 10)).resolves.toBe(0);
          expect(ids((await store().list('a', query())).items)).toEqual(['edge', 'new']);
        });
      });

      describe('update', () => {
        it('should set first-level attributes, keep the others, and answer the resource as it now is', async () => {
          await store().insert('s', resource('r1', { name: 'before', nested: { a: 1 } }));
          const updated = await store().update('s', 'r1', { name: 'after', added: { current: 'x', until: 5 } });
          const expected = resource('r1', { name: 'after', nested: { a: 1 }, added: { current: 'x', until: 5 } });
          expect(updated).toEqual(expected);
          await expect(store().get('s', 'r1')).resolves.toEqual(expected);
        });

        it('should give undefined and write nothing for an unknown id or another scope', async () => {
          await store().insert('s', resource('r1'));
          await expect(store().update('s', 'unknown', { name: 'x' })).resolves.toBeUndefined();
          await expect(store().update('other', 'r1', { name: 'x' })).resolves.toBeUndefined();
          await expect(store().get('s', 'r1')).resolves.toEqual(resource('r1'));
          await expect(store().get('other', 'unknown')).resolves.toBeUndefined();
        });

        it('should remove an attribute set to undefined, so that neither the resource nor a filter finds it', async () => {
          await store().insert('s', resource('r1', { auth: { type: 'bearer' }, keep: 1 }));
          const updated = await store().update('s', 'r1', { auth: undefined, added: 2 });
          expect(Object.keys(updated!).sort()).toEqual(Object.keys(resource('r1', { keep: 1, added: 2 })).sort());
          const stored = await store().get('s', 'r1');
          expect({ keys: Object.keys(stored!).includes('auth'), stored }).toEqual({ keys: false, stored: resource('r1', { keep: 1, added: 2 }) });
          const filter = [{ path: ['auth', 'type'], op: 'eq' as const, values: ['bearer'] }];
          expect((await store().list('s', { ...query(), filter })).total).toBe(0);
          // Removing what is not there changes nothing.
          await expect(store().update('s', 'r1', { auth: undefined })).resolves.toEqual(resource('r1', { keep: 1, added: 2 }));
        });

        it('should not let the caller change what is stored through the object it passed', async () => {
          await store().insert('s', resource('r1'));
          const set = { meta: { tag: 'a' } };
          await store().update('s', 'r1', set);
          set.meta.tag = 'mutated';
          await expect(store().get('s', 'r1')).resolves.toEqual(resource('r1', { meta: { tag: 'a' } }));
        });
      });

      describe('delete', () => {
        it('should return true for an existing resource and false the second time', async () => {
          await store().insert('s', resource('r1'));
          await store().insert('s', resource('r2'));
          await expect(store().delete('s', 'r1')).resolves.toBe(true);
          await expect(store().get('s', 'r1')).resolves.toBeUndefined();
          await expect(store().delete('s', 'r1')).resolves.toBe(false);
          const page = await store().list('s', query());
          expect(ids(page.items)).toEqual(['r2']);
          expect(page.total).toBe(1);
        });

        it('should return false for an unknown id or scope', async () => {
          await store().insert('s', resource('r1'));
          await expect(store().delete('s', 'unknown')).resolves.toBe(false);
          await expect(store().delete('other', 'r1')).resolves.toBe(false);
          await expect(store().get('s', 'r1')).resolves.toEqual(resource('r1'));
        });

        it('should delete only in the given scope', async () => {
          await store().insert('a', resource('same'));
          await store().insert('b', resource('same'));
          await expect(store().delete('a', 'same')).resolves.toBe(true);
          await expect(store().get('a', 'same')).resolves.toBeUndefined();
          await expect(store().get('b', 'same')).resolves.toEqual(resource('same'));
        });
      });

      describe('sequences: nextSequence, listAfterSequence, sequenceOf, lastSequence', () => {
        const fill = async () => {
          for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await store().insert('s', resource(id, { n: id }), undefined, await store().nextSequence('s'));
          await store().insert('other', resource('b1'), undefined, await store().nextSequence('other'));
        };
        const listed = (items: ReadonlyArray<{ resource: Resource; sequence: number }>) => items.map((i) => [i.resource.id, i.sequence]);

        it('should hand out 1, 2, 3, ... per scope, never the same number twice, however many callers at once', async () => {
          await expect(store().nextSequence('s')).resolves.toBe(1);
          await expect(store().nextSequence('s')).resolves.toBe(2);
          await expect(store().nextSequence('t')).resolves.toBe(1);
          const many = await Promise.all(Array.from({ length: 20 }, () => store().nextSequence('s')));
          expect([...many].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
        });

        it('should hand a new scope\'s numbers to 100 callers at once, each once, from 1', async () => {
          const many = await Promise.all(Array.from({ length: 100 }, () => store().nextSequence('fresh')));
          expect([...many].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
          await expect(store().nextSequence('fresh')).resolves.toBe(101);
        });

        it('should page forward by sequence, each resource whole with its sequence', async () => {
          await fill();
          expect(listed(await store().listAfterSequence('s', 0, 2))).toEqual([['a1', 1], ['a2', 2]]);
          expect(listed(await store().listAfterSequence('s', 2, 2))).toEqual([['a3', 3], ['a4', 4]]);
          await expect(store().listAfterSequence('s', 4, 10)).resolves.toEqual([{ resource: resource('a5', { n: 'a5' }), sequence: 5 }]);
          await expect(store().listAfterSequence('s', 5, 10)).resolves.toEqual([]);
          await expect(store().listAfterSequence('empty', 0, 10)).resolves.toEqual([]);
        });

        it('should order by sequence, not by insertion, and page across a gap (a number taken but never stored)', async () => {
          await store().insert('s', resource('third'), undefined, 3);
          await store().insert('s', resource('first'), undefined, 1);
          await store().insert('s', resource('fifth'), undefined, 5);
          await store().insert('s', resource('second'), undefined, 2);
          expect(listed(await store().listAfterSequence('s', 0, 10))).toEqual([['first', 1], ['second', 2], ['third', 3], ['fifth', 5]]);
          expect(listed(await store().listAfterSequence('s', 3, 10))).toEqual([['fifth', 5]]);
          await expect(store().lastSequence('s')).resolves.toBe(5);
        });

        it('should list the events store by sequence (the order the hub accepted them), every other store in insertion order', async () => {
          await store().insert('s', resource('late'), undefined, 2);
          await store().insert('s', resource('early'), undefined, 1);
          await store().insert('s', resource('latest'), undefined, 3);
          const page = await store().list('s', query());
          expect(ids(page.items)).toEqual(storeName === 'events' ? ['early', 'late', 'latest'] : ['late', 'early', 'latest']);
          expect(ids((await store().list('s', query({ offset: 1, limit: 1 }))).items)).toEqual(storeName === 'events' ? ['late'] : ['early']);
        });

        it('should leave out resources stored without a sequence, and deleted ones', async () => {
          await fill();
          await store().insert('s', resource('plain'));
          await store().delete('s', 'a3');
          expect(listed(await store().listAfterSequence('s', 0, 10))).toEqual([['a1', 1], ['a2', 2], ['a4', 4], ['a5', 5]]);
        });

        it('should tell the sequence a resource was stored with: {} without one, undefined when not stored', async () => {
          await fill();
          await store().insert('s', resource('plain'));
          await expect(store().sequenceOf('s', 'a2')).resolves.toEqual({ sequence: 2 });
          await expect(store().sequenceOf('s', 'plain')).resolves.toEqual({});
          await expect(store().sequenceOf('s', 'b1')).resolves.toBeUndefined();
          await expect(store().sequenceOf('s', 'unknown')).resolves.toBeUndefined();
        });

        it('should give the highest stored sequence, 0 when none, following deletions', async () => {
          await expect(store().lastSequence('s')).resolves.toBe(0);
          await fill();
          await expect(store().lastSequence('s')).resolves.toBe(5);
          await store().delete('s', 'a5');
          await expect(store().lastSequence('s')).resolves.toBe(4);
          await store().deleteScope('s');
          await expect(store().lastSequence('s')).resolves.toBe(0);
        });

        it('should give the sequence with each resource of listStoredBetween (none for one stored without)', async () => {
          await store().insert('s', resource('x'), 1000, 7);
          await store().insert('s', resource('y'), 1001);
          const page = await store().listStoredBetween('s', 0, 2000, 0, 10);
          expect([...page.items].sort((p, q) => p.resource.id.localeCompare(q.resource.id))).toEqual([
            { resource: resource('x'), storedAt: 1000, sequence: 7 },
            { resource: resource('y'), storedAt: 1001 },
          ]);
        });
      });

      describe('lastId', () => {
        it('should name the last resource of a scope', async () => {
          await expect(store().lastId('s')).resolves.toBeUndefined();
          for (const id of ['a1', 'a2', 'a3']) await store().insert('s', resource(id));
          await expect(store().lastId('s')).resolves.toBe('a3');
          await store().delete('s', 'a3');
          await expect(store().lastId('s')).resolves.toBe('a2');
          await store().deleteScope('s');
          await expect(store().lastId('s')).resolves.toBeUndefined();
        });
      });

      describe('trimScope', () => {
        it('should delete the oldest beyond the newest `keep`, in that scope only', async () => {
          for (const id of ['t1', 't2', 't3', 't4', 't5']) await store().insert('s', resource(id));
          await store().insert('other', resource('o1'));
          await expect(store().trimScope('s', 2)).resolves.toBe(3);
          expect(ids((await store().list('s', query())).items)).toEqual(['t4', 't5']);
          await expect(store().get('other', 'o1')).resolves.toEqual(resource('o1'));
        });

        it('should delete nothing when the scope holds no more than `keep`', async () => {
          for (const id of ['t1', 't2']) await store().insert('s', resource(id));
          await expect(store().trimScope('s', 2)).resolves.toBe(0);
          await expect(store().trimScope('never-used', 0)).resolves.toBe(0);
          expect(ids((await store().list('s', query())).items)).toEqual(['t1', 't2']);
        });

        it('should empty the scope with keep 0', async () => {
          for (const id of ['t1', 't2']) await store().insert('s', resource(id));
          await expect(store().trimScope('s', 0)).resolves.toBe(2);
          await expect(store().list('s', query())).resolves.toEqual({ items: [], total: 0 });
        });
      });

      describe('deleteScope', () => {
        it('should remove every resource of the scope and return the count', async () => {
          for (const id of ['x1', 'x2', 'x3']) await store().insert('doomed', resource(id));
          await store().insert('kept', resource('k1'));
          await store().insert('kept', resource('x1'));
          await expect(store().deleteScope('doomed')).resolves.toBe(3);
          await expect(store().list('doomed', query())).resolves.toEqual({ items: [], total: 0 });
          await expect(store().get('doomed', 'x1')).resolves.toBeUndefined();
          const kept = await store().list('kept', query());
          expect(ids(kept.items)).toEqual(['k1', 'x1']);
          expect(kept.total).toBe(2);
        });

        it('should return 0 for an empty or unknown scope', async () => {
          await store().insert('other', resource('o1'));
          await expect(store().deleteScope('never-used')).resolves.toBe(0);
          await expect(store().get('other', 'o1')).resolves.toEqual(resource('o1'));
        });

        it('should return 0 the second time', async () => {
          await store().insert('doomed', resource('x1'));
          await expect(store().deleteScope('doomed')).resolves.toBe(1);
          await expect(store().deleteScope('doomed')).resolves.toBe(0);
        });

        it('should let the scope be used again afterwards', async () => {
          await store().insert('reused', resource('x1'));
          await store().deleteScope('reused');
          await store().insert('reused', resource('x1', { second: true }));
          await expect(store().get('reused', 'x1')).resolves.toEqual(resource('x1', { second: true }));
          expect((await store().list('reused', query())).total).toBe(1);
        });
      });
    });

    describe.each(STORE_NAMES)('%s store unique id', (storeName) => {
      it('should reject an id already taken in the scope with DuplicateKeyError and keep the first', async () => {
        await stores[storeName].insert('s', { id: 'r1', version: 1 });
        const attempt = stores[storeName].insert('s', { id: 'r1', version: 2 });
        await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(attempt).rejects.toMatchObject({ attribute: 'id', value: 'r1' });
        await expect(stores[storeName].get('s', 'r1')).resolves.toEqual({ id: 'r1', version: 1 });
        await expect(stores[storeName].insert('other', { id: 'r1', version: 3 })).resolves.toBeUndefined();
      });
    });

    describe('events store unique eventId', () => {
      it('should reject a duplicate eventId within a scope with DuplicateKeyError', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-100', eventType: 'A' });
        const attempt = stores.events.insert('topic-1', { id: 'e2', eventId: 'E-100', eventType: 'B' });
        await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(attempt).rejects.toMatchObject({ attribute: 'eventId', value: 'E-100' });
      });

      it('should keep the first event and not store the rejected one', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-100', eventType: 'A' });
        await expect(stores.events.insert('topic-1', { id: 'e2', eventId: 'E-100', eventType: 'B' })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
        await expect(stores.events.get('topic-1', 'e1')).resolves.toEqual({ id: 'e1', eventId: 'E-100', eventType: 'A' });
        await expect(stores.events.get('topic-1', 'e2')).resolves.toBeUndefined();
        const page = await stores.events.list('topic-1', query());
        expect(ids(page.items)).toEqual(['e1']);
        expect(page.total).toBe(1);
      });

      it('should accept the same eventId in another scope', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-100' });
        await expect(stores.events.insert('topic-2', { id: 'e2', eventId: 'E-100' })).resolves.toBeUndefined();
        await expect(stores.events.get('topic-2', 'e2')).resolves.toEqual({ id: 'e2', eventId: 'E-100' });
        await expect(stores.events.get('topic-1', 'e1')).resolves.toEqual({ id: 'e1', eventId: 'E-100' });
      });

      it('should find the id of the event holding an eventId, per scope, and forget it on delete', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-100' });
        await stores.events.insert('topic-2', { id: 'e2', eventId: 'E-100' });
        await expect(stores.events.findIdByUnique('topic-1', 'E-100')).resolves.toBe('e1');
        await expect(stores.events.findIdByUnique('topic-2', 'E-100')).resolves.toBe('e2');
        await expect(stores.events.findIdByUnique('topic-1', 'E-404')).resolves.toBeUndefined();
        await expect(stores.events.findIdByUnique('topic-3', 'E-100')).resolves.toBeUndefined();
        await stores.events.delete('topic-1', 'e1');
        await expect(stores.events.findIdByUnique('topic-1', 'E-100')).resolves.toBeUndefined();
        await stores.events.deleteScope('topic-2');
        await expect(stores.events.findIdByUnique('topic-2', 'E-100')).resolves.toBeUndefined();
      });

      it('should accept different eventIds in one scope', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-1' });
        await stores.events.insert('topic-1', { id: 'e2', eventId: 'E-2' });
        expect((await stores.events.list('topic-1', query())).total).toBe(2);
      });

      it('should free the eventId when its event is deleted', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-100' });
        await stores.events.delete('topic-1', 'e1');
        await expect(stores.events.insert('topic-1', { id: 'e2', eventId: 'E-100' })).resolves.toBeUndefined();
        await expect(stores.events.get('topic-1', 'e2')).resolves.toEqual({ id: 'e2', eventId: 'E-100' });
      });

      it('should free the eventIds of a deleted scope', async () => {
        await stores.events.insert('topic-1', { id: 'e1', eventId: 'E-100' });
        await stores.events.deleteScope('topic-1');
        await expect(stores.events.insert('topic-1', { id: 'e2', eventId: 'E-100' })).resolves.toBeUndefined();
      });
    });

    describe('topics store', () => {
      it('should accept resources sharing any attribute value, eventId included', async () => {
        const first = { id: 't1', '@type': 'Topic', name: 'orders', eventId: 'same' };
        const second = { id: 't2', '@type': 'Topic', name: 'orders', eventId: 'same' };
        await stores.topics.insert('', first);
        await expect(stores.topics.insert('', second)).resolves.toBeUndefined();
        const page = await stores.topics.list('', query());
        expect(page.items).toEqual([first, second]);
        expect(page.total).toBe(2);
      });

      it('should accept a resource with nothing but an id', async () => {
        await stores.topics.insert('', { id: 'bare' });
        await expect(stores.topics.get('', 'bare')).resolves.toEqual({ id: 'bare' });
      });
    });
  });
}
