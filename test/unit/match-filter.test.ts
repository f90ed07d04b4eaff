import type { FilterClause, FilterOperator } from '../../src/query/filter-clause';
import { matchesFilter, valuesAt } from '../../src/query/match-filter';
import { parseFilter, parseFilterString } from '../../src/query/parse-filter';

function clause(path: string, op: FilterOperator, ...values: string[]): FilterClause {
  const result: FilterClause = { path: path.split('.'), op, values };
  if (op === 'regex') result.regex = new RegExp(values[0]);
  return result;
}

function matches(doc: unknown, path: string, op: FilterOperator, ...values: string[]): boolean {
  return matchesFilter(doc, [clause(path, op, ...values)]);
}

describe('matchesFilter', () => {
  it('should match every document when there are no clauses', () => {
    expect(matchesFilter({ a: 1 }, [])).toBe(true);
  });

  describe('equality', () => {
    it.each<[string, unknown, string, boolean]>([
      ['equal strings', 'done', 'done', true],
      ['different strings', 'done', 'Done', false],
      ['a string and a numeric query', '5', '5', true],
      ['a number and an integer query', 5, '5', true],
      ['a number and a decimal query of the same value', 5, '5.0', true],
      ['a decimal number and its query', 2.5, '2.5', true],
      ['a negative number', -3, '-3', true],
      ['a number and an exponent query', 1000, '1e3', true],
      ['a number and a different number', 5, '6', false],
      ['a number and a non-numeric query', 5, 'abc', false],
      ['a number and a partly numeric query', 5, '5abc', false],
      ['zero and an empty query', 0, '', false],
      ['true and "true"', true, 'true', true],
      ['false and "false"', false, 'false', true],
      ['true and "false"', true, 'false', false],
      ['true and "1"', true, '1', false],
      ['an object and a string', { x: 1 }, '[object Object]', false],
      ['null and "null"', null, 'null', false],
    ])('should decide %s: %p eq %p is %p', (_label, stored, query, expected) => {
      expect(matches({ a: stored }, 'a', 'eq', query)).toBe(expected);
    });

    it('should not match eq on a missing attribute', () => {
      expect(matches({ b: 'x' }, 'a', 'eq', 'x')).toBe(false);
    });

    it('should not match eq on an attribute that is undefined-valued', () => {
      expect(matches({ a: undefined }, 'a', 'eq', 'undefined')).toBe(false);
    });

    it('should match when any of the OR values is equal', () => {
      expect(matches({ state: 'b' }, 'state', 'eq', 'a', 'b', 'c')).toBe(true);
      expect(matches({ state: 'd' }, 'state', 'eq', 'a', 'b', 'c')).toBe(false);
    });
  });

  describe('ordering comparisons', () => {
    it.each<[unknown, FilterOperator, string, boolean]>([
      [10, 'gt', '9', true],
      [10, 'gt', '10', false],
      [10, 'gte', '10', true],
      [10, 'gte', '10.5', false],
      [10, 'lt', '9', false],
      [9, 'lt', '10', true],
      [10, 'lte', '10', true],
      [11, 'lte', '10', false],
      [-1, 'lt', '0', true],
      [2.5, 'gt', '2.25', true],
    ])('should compare the number %p %s %p numerically as %p', (stored, op, query, expected) => {
      expect(matches({ a: stored }, 'a', op, query)).toBe(expected);
    });

    it.each<[string, FilterOperator, string, boolean]>([
      ['2024-05-01T00:00:00Z', 'gt', '2024-01-01', true],
      ['2024-05-01T00:00:00Z', 'lt', '2024-01-01', false],
      ['2024-05-01T00:00:00Z', 'gte', '2024-05-01T00:00:00Z', true],
      ['2024-05-01T00:00:00Z', 'lte', '2024-05-01T00:00:00Z', true],
      ['2023-12-31T23:59:59Z', 'lt', '2024-01-01', true],
      ['b', 'gt', 'a', true],
      ['B', 'gt', 'a', false],
      // strings compare as strings even when both look numeric
      ['10', 'gt', '9', false],
      ['10', 'lt', '9', true],
    ])('should compare the string %p %s %p lexicographically as %p', (stored, op, query, expected) => {
      expect(matches({ a: stored }, 'a', op, query)).toBe(expected);
    });

    it.each<FilterOperator>(['gt', 'gte', 'lt', 'lte'])(
      'should not match %s between a number and a non-numeric query',
      (op) => {
        expect(matches({ a: 5 }, 'a', op, 'abc')).toBe(false);
        expect(matches({ a: 5 }, 'a', op, '')).toBe(false);
      },
    );

    it.each<FilterOperator>(['gt', 'gte', 'lt', 'lte'])('should not match %s on booleans, objects, null or a missing attribute', (op) => {
      expect(matches({ a: true }, 'a', op, 'a')).toBe(false);
      expect(matches({ a: { b: 1 } }, 'a', op, '0')).toBe(false);
      expect(matches({ a: null }, 'a', op, '0')).toBe(false);
      expect(matches({}, 'a', op, '0')).toBe(false);
    });

    it('should match a comparison with OR values when any value satisfies it', () => {
      expect(matches({ a: 5 }, 'a', 'gt', '10', '1')).toBe(true);
      expect(matches({ a: 5 }, 'a', 'gt', '10', '20')).toBe(false);
    });
  });

  describe('regex', () => {
    it('should match a string against the compiled regex', () => {
      expect(matches({ name: 'Order-42' }, 'name', 'regex', '^Order-\\d+$')).toBe(true);
      expect(matches({ name: 'order-42' }, 'name', 'regex', '^Order-\\d+$')).toBe(false);
    });

    it('should not match non-string values', () => {
      expect(matches({ a: 42 }, 'a', 'regex', '4')).toBe(false);
      expect(matches({ a: true }, 'a', 'regex', 'true')).toBe(false);
      expect(matches({ a: null }, 'a', 'regex', '.*')).toBe(false);
      expect(matches({ a: { b: 'x' } }, 'a', 'regex', '.*')).toBe(false);
      expect(matches({}, 'a', 'regex', '.*')).toBe(false);
    });

    it('should match any string element of an array', () => {
      expect(matches({ tags: ['x', 'yes'] }, 'tags', 'regex', '^y')).toBe(true);
      expect(matches({ tags: ['x', 'no'] }, 'tags', 'regex', '^y')).toBe(false);
    });

    it('should use the clause regex produced by parseFilter', () => {
      const clauses = parseFilter([['name.regex', 'x{2,3}']]);
      expect(matchesFilter({ name: 'axxb' }, clauses)).toBe(true);
      expect(matchesFilter({ name: 'axb' }, clauses)).toBe(false);
    });
  });

  describe('ne', () => {
    it('should hold when the value differs from every given value', () => {
      expect(matches({ state: 'done' }, 'state', 'ne', 'open', 'failed')).toBe(true);
    });

    it('should not hold when the value equals any given value', () => {
      expect(matches({ state: 'failed' }, 'state', 'ne', 'open', 'failed')).toBe(false);
    });

    it('should hold when the attribute is missing', () => {
      expect(matches({ other: 'x' }, 'state', 'ne', 'open')).toBe(true);
    });

    it('should use numeric and boolean equality', () => {
      expect(matches({ a: 5 }, 'a', 'ne', '5.0')).toBe(false);
      expect(matches({ a: 5 }, 'a', 'ne', '6')).toBe(true);
      expect(matches({ a: true }, 'a', 'ne', 'true')).toBe(false);
    });

    it('should not hold when any array element equals a given value', () => {
      expect(matches({ tags: ['a', 'b'] }, 'tags', 'ne', 'b')).toBe(false);
      expect(matches({ tags: ['a', 'b'] }, 'tags', 'ne', 'c')).toBe(true);
    });

    it('should not hold when any object in an array has the value', () => {
      const doc = { relatedParty: [{ role: 'buyer' }, { role: 'seller' }] };
      expect(matches(doc, 'relatedParty.role', 'ne', 'seller')).toBe(false);
      expect(matches(doc, 'relatedParty.role', 'ne', 'agent')).toBe(true);
    });
  });

  describe('paths and arrays', () => {
    it('should follow a dotted path through nested objects', () => {
      const doc = { event: { productOrder: { state: 'completed' } } };
      expect(matches(doc, 'event.productOrder.state', 'eq', 'completed')).toBe(true);
      expect(matches(doc, 'event.productOrder.state', 'eq', 'acknowledged')).toBe(false);
    });

    it('should not match when an intermediate segment is missing or not an object', () => {
      expect(matches({ event: {} }, 'event.productOrder.state', 'eq', 'x')).toBe(false);
      expect(matches({ event: 'x' }, 'event.productOrder', 'eq', 'x')).toBe(false);
      expect(matches({ event: null }, 'event.productOrder', 'eq', 'x')).toBe(false);
    });

    it('should match a path through an array of objects when any element matches', () => {
      const doc = { relatedParty: [{ role: 'seller', id: '1' }, { role: 'buyer', id: '2' }] };
      expect(matches(doc, 'relatedParty.role', 'eq', 'buyer')).toBe(true);
      expect(matches(doc, 'relatedParty.role', 'eq', 'agent')).toBe(false);
    });

    it('should match a terminal array when any element matches', () => {
      expect(matches({ tags: ['a', 'b'] }, 'tags', 'eq', 'b')).toBe(true);
      expect(matches({ tags: ['a', 'b'] }, 'tags', 'eq', 'c')).toBe(false);
      expect(matches({ scores: [1, 20] }, 'scores', 'gt', '10')).toBe(true);
      expect(matches({ scores: [1, 2] }, 'scores', 'gt', '10')).toBe(false);
    });

    it('should not match an empty array', () => {
      expect(matches({ tags: [] }, 'tags', 'eq', '')).toBe(false);
      expect(matches({ tags: [] }, 'tags', 'ne', 'x')).toBe(true);
    });

    it('should not require the same array element to satisfy two different clauses', () => {
      // Each clause is evaluated on its own over all elements (no $elemMatch).
      const doc = { relatedParty: [{ role: 'buyer', name: 'Ann' }, { role: 'seller', name: 'Bob' }] };
      const clauses = [clause('relatedParty.role', 'eq', 'buyer'), clause('relatedParty.name', 'eq', 'Bob')];
      expect(matchesFilter(doc, clauses)).toBe(true);
    });
  });

  describe('combining clauses', () => {
    const doc = { state: 'done', quantity: 5, type: 'ProductOrder' };

    it('should AND multiple clauses', () => {
      expect(matchesFilter(doc, [clause('state', 'eq', 'done'), clause('quantity', 'gte', '5')])).toBe(true);
      expect(matchesFilter(doc, [clause('state', 'eq', 'done'), clause('quantity', 'gt', '5')])).toBe(false);
      expect(matchesFilter(doc, [clause('state', 'eq', 'open'), clause('quantity', 'gte', '5')])).toBe(false);
    });

    it('should AND a range on one attribute', () => {
      expect(matchesFilter(doc, parseFilterString('quantity.gt=1&quantity.lt=10'))).toBe(true);
      expect(matchesFilter(doc, parseFilterString('quantity.gt=1&quantity.lt=5'))).toBe(false);
    });

    it('should evaluate a parsed query string with OR and AND', () => {
      const clauses = parseFilterString('state=open,done&type=ProductOrder');
      expect(matchesFilter(doc, clauses)).toBe(true);
      expect(matchesFilter({ ...doc, state: 'failed' }, clauses)).toBe(false);
      expect(matchesFilter({ ...doc, type: 'Other' }, clauses)).toBe(false);
    });

    it('should require both of two regex clauses on the same attribute', () => {
      const clauses = parseFilter([['name.regex', '^a'], ['name.regex', 'z$']]);
      expect(matchesFilter({ name: 'abcz' }, clauses)).toBe(true);
      expect(matchesFilter({ name: 'abc' }, clauses)).toBe(false);
      expect(matchesFilter({ name: 'bcz' }, clauses)).toBe(false);
    });
  });

  it('should not match a non-object document', () => {
    expect(matches(null, 'a', 'eq', 'x')).toBe(false);
    expect(matches('a', 'a', 'eq', 'a')).toBe(false);
    expect(matches(undefined, 'a', 'ne', 'x')).toBe(true);
  });
});

describe('valuesAt', () => {
  it('should return the document itself for an empty path', () => {
    const doc = { a: 1 };
    expect(valuesAt(doc, [])).toEqual([doc]);
  });

  it('should return a single nested value', () => {
    expect(valuesAt({ a: { b: { c: 'x' } } }, ['a', 'b', 'c'])).toEqual(['x']);
  });

  it('should return nothing for a missing path', () => {
    expect(valuesAt({ a: { b: 1 } }, ['a', 'c'])).toEqual([]);
    expect(valuesAt({ a: 1 }, ['a', 'b'])).toEqual([]);
    expect(valuesAt({ a: null }, ['a', 'b'])).toEqual([]);
  });

  it('should keep null values that are present', () => {
    expect(valuesAt({ a: null }, ['a'])).toEqual([null]);
  });

  it('should flatten a terminal array into its elements', () => {
    expect(valuesAt({ tags: ['a', 'b'] }, ['tags'])).toEqual(['a', 'b']);
  });

  it('should descend into every element of nested arrays of objects', () => {
    const doc = {
      orderItem: [
        { product: [{ id: 'p1' }, { id: 'p2' }] },
        { product: [{ id: 'p3' }] },
        { note: 'no product' },
        { product: { id: 'p4' } },
      ],
    };
    expect(valuesAt(doc, ['orderItem', 'product', 'id'])).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('should flatten terminal arrays reached through an array', () => {
    const doc = { item: [{ tags: ['a', 'b'] }, { tags: ['c'] }, { tags: 'd' }] };
    expect(valuesAt(doc, ['item', 'tags'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should skip primitive elements of an array on the way', () => {
    const doc = { item: [1, 'x', null, { id: 'y' }] };
    expect(valuesAt(doc, ['item', 'id'])).toEqual(['y']);
  });

  it('should only read own properties', () => {
    expect(valuesAt({}, ['toString'])).toEqual([]);
    expect(valuesAt({ a: [] }, ['a', 'length'])).toEqual([]);
  });
});
