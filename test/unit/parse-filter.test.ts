import type { FilterClause, FilterOperator } from '../../src/query/filter-clause';
import { parseFilter, parseFilterString, type QueryPairs } from '../../src/query/parse-filter';
import { expectBadRequest } from '../helpers/expect-bad-request';

/** The pairs exactly as the HTTP layer receives them from URLSearchParams. */
function fromQuery(query: string): QueryPairs {
  return [...new URLSearchParams(query)];
}

describe('parseFilter', () => {
  describe('operator forms', () => {
    it.each<[string, string, string, FilterOperator, string[]]>([
      ['a', '7', 'plain equality', 'eq', ['7']],
      ['a.eq', '7', 'explicit .eq', 'eq', ['7']],
      ['a.ne', '7', '.ne', 'ne', ['7']],
      ['a.gt', '7', '.gt', 'gt', ['7']],
      ['a.gte', '7', '.gte', 'gte', ['7']],
      ['a.lt', '7', '.lt', 'lt', ['7']],
      ['a.lte', '7', '.lte', 'lte', ['7']],
      ['a.regex', '^ab+c$', '.regex', 'regex', ['^ab+c$']],
    ])('should parse key %p value %p (%s) as op %p', (key, value, _label, op, values) => {
      const clauses = parseFilter([[key, value]]);
      expect(clauses).toHaveLength(1);
      expect(clauses[0].path).toEqual(['a']);
      expect(clauses[0].op).toBe(op);
      expect(clauses[0].values).toEqual(values);
    });

    it('should compile a RegExp only for regex clauses', () => {
      const [regexClause] = parseFilter([['a.regex', '^ab+c$']]);
      expect(regexClause.regex).toBeInstanceOf(RegExp);
      expect(regexClause.regex?.source).toBe('^ab+c$');
      expect(regexClause.regex?.test('abbbc')).toBe(true);
      expect(regexClause.regex?.test('ac')).toBe(false);

      const [eqClause] = parseFilter([['a', 'x']]);
      expect(eqClause.regex).toBeUndefined();
    });
  });

  describe('symbol operator forms as URLSearchParams delivers them', () => {
    it.each<[string, string, string, FilterOperator]>([
      ['a>=5', 'a>', '5', 'gte'],
      ['a<=5', 'a<', '5', 'lte'],
      ['a>5', 'a>5', '', 'gt'],
      ['a<5', 'a<5', '', 'lt'],
    ])('should read %p (key %p, value %p) as %p with value 5', (query, key, value, op) => {
      // Check the assumption about how the query arrives, then parse what arrives.
      expect(fromQuery(query)).toEqual([[key, value]]);
      const clauses = parseFilter(fromQuery(query));
      expect(clauses).toEqual([{ path: ['a'], op, values: ['5'] }]);
    });

    it('should accept symbol forms on dotted paths', () => {
      expect(parseFilter(fromQuery('event.quantity>=10'))).toEqual([
        { path: ['event', 'quantity'], op: 'gte', values: ['10'] },
      ]);
      expect(parseFilter(fromQuery('event.quantity<10'))).toEqual([
        { path: ['event', 'quantity'], op: 'lt', values: ['10'] },
      ]);
    });

    it('should keep gt and gte on the same attribute as two clauses', () => {
      const clauses = parseFilter(fromQuery('a>1&a>=2'));
      expect(clauses).toHaveLength(2);
      expect(clauses).toEqual(
        expect.arrayContaining([
          { path: ['a'], op: 'gt', values: ['1'] },
          { path: ['a'], op: 'gte', values: ['2'] },
        ]),
      );
    });
  });

  describe('paths', () => {
    it('should split a dotted attribute path into segments with op eq', () => {
      expect(parseFilter([['event.productOrder.state', 'x']])).toEqual([
        { path: ['event', 'productOrder', 'state'], op: 'eq', values: ['x'] },
      ]);
    });

    it('should take a trailing operator segment off a dotted path', () => {
      expect(parseFilter([['event.productOrder.quantity.gte', '3']])).toEqual([
        { path: ['event', 'productOrder', 'quantity'], op: 'gte', values: ['3'] },
      ]);
    });

    it('should treat a single segment named like an operator as an attribute', () => {
      expect(parseFilter([['gt', '3']])).toEqual([{ path: ['gt'], op: 'eq', values: ['3'] }]);
    });

    it('should allow "@" in attribute names', () => {
      expect(parseFilter([['@type', 'ProductOrder']])).toEqual([
        { path: ['@type'], op: 'eq', values: ['ProductOrder'] },
      ]);
    });
  });

  describe('OR values', () => {
    it('should split a comma separated value into alternatives', () => {
      expect(parseFilter([['a', '1,2']])).toEqual([{ path: ['a'], op: 'eq', values: ['1', '2'] }]);
    });

    it('should merge a repeated key into one clause', () => {
      expect(parseFilter([['a', '1'], ['a', '2']])).toEqual([{ path: ['a'], op: 'eq', values: ['1', '2'] }]);
    });

    it('should merge a repeated key and commas in order', () => {
      expect(parseFilter(fromQuery('state=a,b&state=c'))).toEqual([
        { path: ['state'], op: 'eq', values: ['a', 'b', 'c'] },
      ]);
    });

    it('should merge "a=1" and "a.eq=2" as the same condition', () => {
      expect(parseFilter([['a', '1'], ['a.eq', '2']])).toEqual([{ path: ['a'], op: 'eq', values: ['1', '2'] }]);
    });

    it('should keep the same attribute with different operators as separate clauses', () => {
      const clauses = parseFilter([['a.gt', '1'], ['a.lt', '9']]);
      expect(clauses).toEqual([
        { path: ['a'], op: 'gt', values: ['1'] },
        { path: ['a'], op: 'lt', values: ['9'] },
      ]);
    });

    it('should split ne values too (none of them)', () => {
      expect(parseFilter([['a.ne', 'x,y']])).toEqual([{ path: ['a'], op: 'ne', values: ['x', 'y'] }]);
    });

    it('should not split a regex value on commas', () => {
      const clauses = parseFilter([['a.regex', 'x{1,3}']]);
      expect(clauses).toHaveLength(1);
      expect(clauses[0].values).toEqual(['x{1,3}']);
      expect(clauses[0].regex).toBeInstanceOf(RegExp);
      expect(clauses[0].regex?.source).toBe('x{1,3}');
      expect(clauses[0].regex?.test('xx')).toBe(true);
    });

    it('should keep two regex conditions on the same attribute as separate clauses', () => {
      const clauses = parseFilter([['a.regex', '^x'], ['a.regex', 'y$']]);
      expect(clauses).toHaveLength(2);
      expect(clauses.map((c) => c.op)).toEqual(['regex', 'regex']);
      expect(clauses.map((c) => c.path)).toEqual([['a'], ['a']]);
      expect(clauses.map((c) => c.values)).toEqual([['^x'], ['y$']]);
      expect(clauses.map((c) => c.regex?.source)).toEqual(['^x', 'y$']);
    });

    it('should keep three regex conditions on the same attribute as three clauses', () => {
      const clauses = parseFilter([['a.regex', '1'], ['a.regex', '2'], ['a.regex', '3']]);
      expect(clauses.map((c) => c.values[0])).toEqual(['1', '2', '3']);
    });
  });

  describe('reserved keys', () => {
    it('should skip reserved keys and keep the rest', () => {
      const reserved = new Set(['fields', 'offset', 'limit']);
      const clauses = parseFilter(fromQuery('fields=id,name&offset=10&limit=5&state=done'), reserved);
      expect(clauses).toEqual([{ path: ['state'], op: 'eq', values: ['done'] }]);
    });

    it('should not skip reserved-looking keys without a reserved set', () => {
      expect(parseFilter([['limit', '5']])).toEqual([{ path: ['limit'], op: 'eq', values: ['5'] }]);
    });

    it('should return no clauses for no pairs', () => {
      expect(parseFilter([])).toEqual([]);
    });
  });

  describe('invalid input', () => {
    it.each<[string, QueryPairs]>([
      ['an invalid regex', [['a.regex', '(']]],
      ['an empty path segment', [['a..b', '1']]],
      ['a leading empty segment', [['.a', '1']]],
      ['a trailing empty segment', [['a.', '1']]],
      ['a top-level segment starting with $', [['$where', '1']]],
      ['a nested segment starting with $', [['a.$gt', '1']]],
      ['an empty key', [['', '1']]],
    ])('should throw BadRequestError (400) for %s', (_label, pairs) => {
      expectBadRequest(() => parseFilter(pairs));
    });

    it('should name the attribute in the message of an invalid regex', () => {
      const error = expectBadRequest(() => parseFilter([['state.regex', '(']]));
      expect(error.message).toContain('state');
    });
  });
});

describe('parseFilterString', () => {
  it.each(['', '?', '   '])('should give no clauses for %p', (query) => {
    expect(parseFilterString(query)).toEqual([]);
  });

  it('should give two clauses for "eventType=A,B&domain=x"', () => {
    expect(parseFilterString('eventType=A,B&domain=x')).toEqual([
      { path: ['eventType'], op: 'eq', values: ['A', 'B'] },
      { path: ['domain'], op: 'eq', values: ['x'] },
    ]);
  });

  it('should ignore a leading "?"', () => {
    expect(parseFilterString('?eventType=A')).toEqual([{ path: ['eventType'], op: 'eq', values: ['A'] }]);
  });

  it('should decode percent-encoding and keep "+" as a plus (a hub query is not a submitted form)', () => {
    expect(parseFilterString('name=Big%20Order%20One&note=a%2Bb&x.regex=(ab)+c')).toEqual([
      { path: ['name'], op: 'eq', values: ['Big Order One'] },
      { path: ['note'], op: 'eq', values: ['a+b'] },
      expect.objectContaining({ path: ['x'], op: 'regex', values: ['(ab)+c'] }),
    ]);
  });

  it.each<[string, FilterClause]>([
    ['a>=5', { path: ['a'], op: 'gte', values: ['5'] }],
    ['a<=5', { path: ['a'], op: 'lte', values: ['5'] }],
    ['a>5', { path: ['a'], op: 'gt', values: ['5'] }],
    ['a<5', { path: ['a'], op: 'lt', values: ['5'] }],
    ['a.ne=5', { path: ['a'], op: 'ne', values: ['5'] }],
  ])('should parse the symbol or dotted form %p', (query, expected) => {
    expect(parseFilterString(query)).toEqual([expected]);
  });

  it('should merge repeated keys', () => {
    expect(parseFilterString('a=1&a=2')).toEqual([{ path: ['a'], op: 'eq', values: ['1', '2'] }]);
  });

  it('should skip reserved keys', () => {
    expect(parseFilterString('fields=id&a=1', new Set(['fields']))).toEqual([
      { path: ['a'], op: 'eq', values: ['1'] },
    ]);
  });

  it('should throw BadRequestError (400) for malformed percent-encoding', () => {
    expectBadRequest(() => parseFilterString('a=%E0%A4%A'));
  });

  it('should throw BadRequestError (400) for an invalid attribute', () => {
    expectBadRequest(() => parseFilterString('$where=1'));
  });
});
