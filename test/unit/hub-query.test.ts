import { BadRequestError } from '../../src/errors';
import {
  compileContentQuery,
  compileQuery,
  notificationMatches,
  QueryCache,
  type CompiledQuery,
} from '../../src/query/hub-query';

type Notification = Record<string, unknown> & { id: string };

function notification(
  id: string,
  eventType: string,
  domain: string,
  priority: unknown,
  state: string,
  skus: string[],
): Notification {
  return {
    id,
    href: `https://hub.example.com/topic/t1/event/${id}`,
    eventId: `ev-${id}`,
    eventType,
    domain,
    priority,
    eventTime: '2024-05-01T12:00:00.000Z',
    event: { productOrder: { id: `po-${id}`, state, items: skus.map((sku) => ({ sku })) } },
  };
}

/** Chosen so that every query below selects a different subset. */
const NOTIFICATIONS: readonly Notification[] = [
  notification('n1', 'ProductOrderCreateEvent', 'sales', '3', 'acknowledged', ['X', 'Y']),
  notification('n2', 'ProductOrderStateChangeEvent', 'sales', 3, 'completed', ['Z']),
  notification('n3', 'ProductOrderStateChangeEvent', 'billing', '10', 'completed', ['X']),
  notification('n4', 'CustomerCreateEvent', 'crm', 10, 'inProgress', []),
  notification('n5', 'A', 'x', '1', 'completed', ['X']),
  notification('n6', 'B', 'y', 1, 'failed', ['W']),
];

const ALL = NOTIFICATIONS.map((n) => n.id);

function matching(hub: CompiledQuery, topic?: { header: CompiledQuery; content: CompiledQuery }): string[] {
  return NOTIFICATIONS.filter((n) => notificationMatches(n, hub, topic)).map((n) => n.id);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('compileQuery', () => {
  it.each<[string, string | undefined, string[]]>([
    ['undefined', undefined, ALL],
    ['an empty query', '', ALL],
    ['a lone question mark', '?', ALL],
    ['eventType=A,B (OR)', 'eventType=A,B', ['n5', 'n6']],
    ['eventType repeated (OR)', 'eventType=A&eventType=CustomerCreateEvent', ['n4', 'n5']],
    ['a leading question mark', '?eventType=A', ['n5']],
    ['domain=x', 'domain=x', ['n5']],
    ['domain=sales', 'domain=sales', ['n1', 'n2']],
    ['a nested path', 'event.productOrder.state=completed', ['n2', 'n3', 'n5']],
    ['a path through an array', 'event.productOrder.items.sku=X', ['n1', 'n3', 'n5']],
    ['a path through an array, OR', 'event.productOrder.items.sku=Z,W', ['n2', 'n6']],
    // strings compare as strings ('10' < '2'), numbers numerically
    ['priority.gt=2 (string and number)', 'priority.gt=2', ['n1', 'n2', 'n4']],
    ['priority.lt=2 (\'10\' < \'2\' as strings)', 'priority.lt=2', ['n3', 'n5', 'n6']],
    ['priority.lte=1', 'priority.lte=1', ['n5', 'n6']],
    ['priority=3 (string and number)', 'priority=3', ['n1', 'n2']],
    ['eventType.regex=^Product', 'eventType.regex=^Product', ['n1', 'n2', 'n3']],
    ['eventType.regex=Create', 'eventType.regex=Create', ['n1', 'n4']],
    ['eventType.ne', 'eventType.ne=ProductOrderStateChangeEvent', ['n1', 'n4', 'n5', 'n6']],
    ['two clauses ANDed', 'eventType.regex=^Product&event.productOrder.state=completed', ['n2', 'n3']],
    ['two clauses ANDed, one on an array', 'domain=sales&event.productOrder.items.sku=X', ['n1']],
    ['no match', 'eventType=Nothing', []],
    ['a missing attribute', 'missing=1', []],
    ['fields only (not a condition)', 'fields=event.productOrder.id', ALL],
    ['a condition and fields', 'eventType=A&fields=event.productOrder.id,eventType', ['n5']],
    ['fields first, then a condition', 'fields=eventType&domain=sales', ['n1', 'n2']],
  ])('should select by %s', (_label, query, expected) => {
    expect(matching(compileQuery(query))).toEqual(expected);
  });

  it.each<[string | undefined]>([[undefined], ['']])('should compile %p to no clauses and no fields', (query) => {
    const compiled = compileQuery(query);
    expect(compiled.clauses).toEqual([]);
    expect(compiled.fields).toBeUndefined();
  });

  it.each<[string, string[] | undefined, number]>([
    ['eventType=A', undefined, 1],
    ['fields=event.productOrder.id', ['event.productOrder.id'], 0],
    ['eventType=A&fields=event.productOrder.id,eventType', ['event.productOrder.id', 'eventType'], 1],
    ['fields=eventType&domain=x&priority.gt=2', ['eventType'], 2],
    ['?fields=domain', ['domain'], 0],
    ['fields=event.productOrder.id%2Cdomain', ['event.productOrder.id', 'domain'], 0],
  ])('should read %p as fields %p and %p clause(s)', (query, fields, clauses) => {
    const compiled = compileQuery(query);
    expect(compiled.fields).toEqual(fields);
    expect(compiled.clauses).toHaveLength(clauses);
    expect(compiled.clauses.some((c) => c.path[0] === 'fields')).toBe(false);
  });

  it('should compile eventType=A,B to one clause with two values', () => {
    expect(compileQuery('eventType=A,B').clauses).toEqual([{ path: ['eventType'], op: 'eq', values: ['A', 'B'] }]);
  });

  it.each<[string, string | undefined, string]>([
    ['a bad regex', undefined, 'a.regex=('],
    ['$where', undefined, '$where=1'],
    ['a bad regex', 'headerQuery', 'a.regex=('],
    ['$where', 'headerQuery', '$where=1'],
    ['a nested $ operator', 'headerQuery', 'event.$gt=1'],
    ['an empty path segment', 'query', 'event..state=1'],
    ['bad fields', 'query', 'fields=$x'],
  ])('should throw a 400 BadRequestError for %s naming the attribute (%p)', (_label, attribute, query) => {
    const err = thrown(() => (attribute === undefined ? compileQuery(query) : compileQuery(query, attribute)));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).status).toBe(400);
    expect((err as BadRequestError).message.startsWith(`${attribute ?? 'query'}: `)).toBe(true);
  });

  it('should mention the attribute path in a bad regex message', () => {
    expect(() => compileQuery('a.regex=(')).toThrow(/^query: .*"a"/);
  });
});

describe('compileContentQuery', () => {
  const content = (query: string | undefined) => ({ header: compileQuery(undefined), content: compileContentQuery(query) });
  const anyHub = compileQuery(undefined);

  it.each<[string, string | undefined, string[]]>([
    ['undefined', undefined, ALL],
    ['an empty query', '', ALL],
    ['a payload path', 'productOrder.state=completed', ['n2', 'n3', 'n5']],
    ['a payload path with a leading event.', 'event.productOrder.state=completed', ['n2', 'n3', 'n5']],
    ['a path through an array', 'productOrder.items.sku=X', ['n1', 'n3', 'n5']],
    ['a path through an array with a leading event.', 'event.productOrder.items.sku=X', ['n1', 'n3', 'n5']],
    ['a regex on the payload', 'productOrder.state.regex=^(completed|failed)$', ['n2', 'n3', 'n5', 'n6']],
    ['two payload clauses ANDed', 'productOrder.state=completed&event.productOrder.items.sku=X', ['n3', 'n5']],
    // header attributes are not in the payload
    ['a header attribute', 'eventType=A', []],
    ['a header attribute with a leading event.', 'event.eventType=A', []],
  ])('should gate on %s', (_label, query, expected) => {
    expect(matching(anyHub, content(query))).toEqual(expected);
  });

  it('should strip a leading event. from the paths', () => {
    expect(compileContentQuery('event.productOrder.state=completed').clauses).toEqual([
      { path: ['productOrder', 'state'], op: 'eq', values: ['completed'] },
    ]);
    expect(compileContentQuery('productOrder.state=completed').clauses).toEqual([
      { path: ['productOrder', 'state'], op: 'eq', values: ['completed'] },
    ]);
  });

  it('should keep a lone "event" path as it is', () => {
    expect(compileContentQuery('event=x').clauses).toEqual([{ path: ['event'], op: 'eq', values: ['x'] }]);
  });

  it.each<[string]>([['a.regex=('], ['$where=1'], ['event.$where=1']])('should throw a contentQuery: error for %p', (query) => {
    const err = thrown(() => compileContentQuery(query));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).status).toBe(400);
    expect((err as BadRequestError).message.startsWith('contentQuery: ')).toBe(true);
  });
});

describe('notificationMatches', () => {
  it.each<[string, string | undefined, string | undefined, string | undefined, string[]]>([
    // label, hub query, topic headerQuery, topic contentQuery, expected
    ['no queries at all', undefined, undefined, undefined, ALL],
    ['a header gate alone', undefined, 'domain=sales', undefined, ['n1', 'n2']],
    ['a header gate on a payload path', undefined, 'event.productOrder.state=completed', undefined, ['n2', 'n3', 'n5']],
    ['a content gate alone', undefined, undefined, 'productOrder.state=completed', ['n2', 'n3', 'n5']],
    ['a header and a content gate ANDed', undefined, 'eventType.regex=^Product', 'productOrder.state=completed', ['n2', 'n3']],
    ['a hub query under a header gate', 'event.productOrder.items.sku=X', 'domain=sales', undefined, ['n1']],
    ['a hub query under a content gate', 'domain=billing,x', undefined, 'productOrder.items.sku=X', ['n3', 'n5']],
    ['hub, header and content ANDed', 'priority.gt=2', 'eventType.regex=^Product', 'productOrder.state=completed', ['n2']],
    ['a gate that rejects everything', 'eventType=A', 'domain=none', undefined, []],
    ['a hub query that rejects what the gate lets through', 'eventType=A', 'domain=sales', undefined, []],
  ])('should combine %s', (_label, hubQuery, headerQuery, contentQuery, expected) => {
    const topic = { header: compileQuery(headerQuery, 'headerQuery'), content: compileContentQuery(contentQuery) };
    expect(matching(compileQuery(hubQuery), topic)).toEqual(expected);
  });

  it('should treat a missing topic as no gate', () => {
    expect(matching(compileQuery('domain=sales'))).toEqual(['n1', 'n2']);
  });

  it('should apply content clauses to notification.event, not the notification', () => {
    const n = { id: 'z', eventType: 'A', event: { eventType: 'B' } };
    const topic = (q: string) => ({ header: compileQuery(undefined), content: compileContentQuery(q) });
    expect(notificationMatches(n, compileQuery(undefined), topic('eventType=B'))).toBe(true);
    expect(notificationMatches(n, compileQuery(undefined), topic('eventType=A'))).toBe(false);
  });

  it('should not match a content clause when the notification has no event', () => {
    const n = { id: 'z', eventType: 'A' };
    const topic = { header: compileQuery(undefined), content: compileContentQuery('productOrder.state=completed') };
    expect(notificationMatches(n, compileQuery(undefined), topic)).toBe(false);
    expect(notificationMatches(n, compileQuery(undefined), { header: compileQuery(undefined), content: compileContentQuery('') })).toBe(true);
  });
});

describe('QueryCache', () => {
  it('should return the same compiled object for the same text', () => {
    const cache = new QueryCache();
    const first = cache.get('eventType=A');
    expect(cache.get('eventType=A')).toBe(first);
    expect(first).toEqual(compileQuery('eventType=A'));
    expect(cache.get('eventType=B')).not.toBe(first);
  });

  it('should compile once per distinct text', () => {
    const cache = new QueryCache();
    const compile = jest.fn((q: string | undefined) => compileQuery(q));
    for (const q of ['eventType=A', 'domain=x', 'eventType=A', 'domain=x', 'eventType=A', 'priority.gt=2']) cache.get(q, compile);
    expect(compile).toHaveBeenCalledTimes(3);
    expect(compile.mock.calls.map(([q]) => q)).toEqual(['eventType=A', 'domain=x', 'priority.gt=2']);
  });

  it('should share one entry between undefined and the empty query', () => {
    const cache = new QueryCache();
    const compile = jest.fn((q: string | undefined) => compileQuery(q));
    const a = cache.get(undefined, compile);
    const b = cache.get('', compile);
    expect(b).toBe(a);
    expect(compile).toHaveBeenCalledTimes(1);
    expect(a).toEqual({ clauses: [] });
  });

  it('should use the given compile function', () => {
    const cache = new QueryCache();
    const compiled = cache.get('event.productOrder.state=completed', compileContentQuery);
    expect(compiled.clauses[0].path).toEqual(['productOrder', 'state']);
  });

  it('should not cache a query that fails to compile', () => {
    const cache = new QueryCache();
    expect(() => cache.get('a.regex=(')).toThrow(BadRequestError);
    const compile = jest.fn((q: string | undefined) => compileQuery(q));
    expect(() => cache.get('a.regex=(', compile)).toThrow(BadRequestError);
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it('should evict the oldest entry past maxEntries', () => {
    const cache = new QueryCache(2);
    const compile = jest.fn((q: string | undefined) => compileQuery(q));
    const a = cache.get('eventType=A', compile);
    const b = cache.get('eventType=B', compile);
    expect(compile).toHaveBeenCalledTimes(2);
    const c = cache.get('eventType=C', compile); // evicts A
    expect(compile).toHaveBeenCalledTimes(3);
    expect(cache.get('eventType=B', compile)).toBe(b);
    expect(cache.get('eventType=C', compile)).toBe(c);
    expect(compile).toHaveBeenCalledTimes(3);
    const a2 = cache.get('eventType=A', compile); // compiled again, evicts B
    expect(compile).toHaveBeenCalledTimes(4);
    expect(a2).not.toBe(a);
    expect(a2).toEqual(a);
    expect(cache.get('eventType=C', compile)).toBe(c);
    expect(compile).toHaveBeenCalledTimes(4);
    cache.get('eventType=B', compile);
    expect(compile).toHaveBeenCalledTimes(5);
  });
});
