import { ALWAYS_KEPT_FIELDS, parseFields, projectFields } from '../../src/query/project-fields';

describe('parseFields', () => {
  it.each<[string | undefined, string[] | undefined]>([
    [undefined, undefined],
    ['', undefined],
    [',', undefined],
    [' , ,', undefined],
    ['a', ['a']],
    ['a, b', ['a', 'b']],
    [' a ,b ,, c.d ', ['a', 'b', 'c.d']],
  ])('should parse %p as %p', (input, expected) => {
    expect(parseFields(input)).toEqual(expected);
  });
});

describe('projectFields', () => {
  const doc = {
    id: '42',
    href: 'https://hub.example.com/topic/42',
    '@type': 'Topic',
    '@baseType': 'Entity',
    name: 'orders',
    description: 'all orders',
    quantity: 0,
    flag: false,
    nothing: null,
    event: { productOrder: { id: 'po1', state: 'completed', note: 'n' }, other: 1 },
    relatedParty: [
      { id: 'p1', role: 'buyer', name: 'Ann' },
      { id: 'p2', role: 'seller', name: 'Bob' },
    ],
  };

  it('should always keep id, href and @type', () => {
    expect(ALWAYS_KEPT_FIELDS).toEqual(['id', 'href', '@type']);
    expect(projectFields(doc, ['name'])).toEqual({
      id: '42',
      href: 'https://hub.example.com/topic/42',
      '@type': 'Topic',
      name: 'orders',
    });
  });

  it('should return the document unchanged when fields is undefined', () => {
    expect(projectFields(doc, undefined)).toBe(doc);
  });

  it('should keep several first-level attributes, including falsy values', () => {
    expect(projectFields(doc, ['quantity', 'flag', 'nothing', '@baseType'])).toEqual({
      id: '42',
      href: 'https://hub.example.com/topic/42',
      '@type': 'Topic',
      '@baseType': 'Entity',
      quantity: 0,
      flag: false,
      nothing: null,
    });
  });

  it('should keep a whole nested object when a first-level attribute is listed', () => {
    const out = projectFields(doc, ['event']);
    expect(out.event).toEqual(doc.event);
    expect(out).not.toHaveProperty('name');
  });

  it('should ignore listed attributes that are missing', () => {
    expect(projectFields(doc, ['missing', 'name'])).toEqual({
      id: '42',
      href: 'https://hub.example.com/topic/42',
      '@type': 'Topic',
      name: 'orders',
    });
    expect(projectFields(doc, ['missing'])).not.toHaveProperty('missing');
  });

  it('should not add id, href or @type when the document lacks them', () => {
    expect(projectFields({ id: '1', name: 'x', other: 2 }, ['name'])).toEqual({ id: '1', name: 'x' });
  });

  it('should keep a nested subset for a dotted path', () => {
    expect(projectFields(doc, ['event.productOrder.state'])).toEqual({
      id: '42',
      href: 'https://hub.example.com/topic/42',
      '@type': 'Topic',
      event: { productOrder: { state: 'completed' } },
    });
  });

  it('should merge several dotted paths under the same parent', () => {
    const out = projectFields(doc, ['event.productOrder.state', 'event.productOrder.id', 'event.other']);
    expect(out.event).toEqual({ productOrder: { state: 'completed', id: 'po1' }, other: 1 });
  });

  it('should keep a nested subset of every element of an array of objects', () => {
    const out = projectFields(doc, ['relatedParty.role']);
    expect(out.relatedParty).toEqual([{ role: 'buyer' }, { role: 'seller' }]);
  });

  it('should merge several dotted paths through the same array', () => {
    const out = projectFields(doc, ['relatedParty.role', 'relatedParty.name']);
    expect(out.relatedParty).toEqual([
      { role: 'buyer', name: 'Ann' },
      { role: 'seller', name: 'Bob' },
    ]);
  });

  it('should follow arrays nested in arrays of objects', () => {
    const order = {
      id: 'o1',
      orderItem: [
        { id: 'i1', product: [{ id: 'p1', name: 'A' }, { id: 'p2', name: 'B' }] },
        { id: 'i2', product: [{ id: 'p3', name: 'C' }] },
      ],
    };
    expect(projectFields(order, ['orderItem.product.name'])).toEqual({
      id: 'o1',
      orderItem: [{ product: [{ name: 'A' }, { name: 'B' }] }, { product: [{ name: 'C' }] }],
    });
  });

  it('should ignore a dotted path whose first segment is missing or not an object', () => {
    const out = projectFields(doc, ['missing.x', 'name.length', 'nothing.x', 'quantity.x']);
    expect(out).toEqual({ id: '42', href: 'https://hub.example.com/topic/42', '@type': 'Topic' });
  });

  it('should not modify the source document', () => {
    const source = { id: '1', a: { b: 1, c: 2 }, list: [{ x: 1, y: 2 }] };
    const copy = structuredClone(source);
    projectFields(source, ['a.b', 'list.x']);
    expect(source).toEqual(copy);
  });
});

describe('projectFields with hostile attribute names', () => {
  it('should copy __proto__ and constructor paths as plain data and pollute no prototype', () => {
    const doc = JSON.parse('{"id":"1","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    const a = projectFields(doc, ['__proto__.polluted']);
    const b = projectFields(doc, ['constructor.prototype.polluted']);
    const c = projectFields(doc, ['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(JSON.stringify(a)).toBe('{"id":"1","__proto__":{"polluted":true}}');
    expect(JSON.stringify(b)).toBe('{"id":"1","constructor":{"prototype":{"polluted":true}}}');
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
  });
});
