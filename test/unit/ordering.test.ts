import { BadRequestError } from '../../src/errors';
import { assertOrdering, orderingKeyFor, orderingOf, orderingRefusal } from '../../src/hub/ordering';

describe('hub ordering', () => {
  it.each<[string, unknown, RegExp | undefined]>([
    ['absent', undefined, undefined],
    ['"hub"', 'hub', undefined],
    ['a key path', { key: 'event.productOrder.id' }, undefined],
    ['a one-segment key', { key: 'correlationId' }, undefined],
    ['another word', 'topic', /must be "hub" or \{"key"/],
    ['null', null, /must be "hub" or/],
    ['an array', ['hub'], /must be "hub" or/],
    ['a number', 3, /must be "hub" or/],
    ['an object without key', {}, /ordering.key must be a non-empty attribute path/],
    ['a key that is a number', { key: 7 }, /ordering.key must be a non-empty attribute path/],
    ['an empty key', { key: '' }, /ordering.key must be a non-empty attribute path/],
    ['an attribute beside key', { key: 'a', by: 'b' }, /no attribute "by"/],
    ['an empty segment', { key: 'event..id' }, /empty segment/],
    ['a trailing dot', { key: 'event.' }, /empty segment/],
    ['a $ segment', { key: 'event.$where' }, /starting with \$/],
    ['a path over 256 characters', { key: 'a'.repeat(257) }, /longer than 256/],
    // Characters as the contract's maxLength counts them (code points), not UTF-16 units.
    ['a path of 256 characters outside the BMP (512 UTF-16 units)', { key: '\u{1F4E6}'.repeat(256) }, undefined],
    ['a path of 257 characters outside the BMP', { key: '\u{1F4E6}'.repeat(257) }, /longer than 256/],
  ])('should judge %s', (_label, value, refusal) => {
    const found = orderingRefusal(value);
    if (refusal) expect(found).toMatch(refusal);
    else expect(found).toBeUndefined();
  });

  it('should throw a 400 naming the reason for an invalid value', () => {
    expect(() => assertOrdering({ key: 'a..b' })).toThrow(BadRequestError);
    expect(() => assertOrdering({ key: 'a.b' })).not.toThrow();
  });

  const notification = {
    eventId: 'e1',
    correlationId: 'corr-9',
    event: { productOrder: { id: 'PO-1', priority: 3, urgent: false, items: [{ id: 'i1' }], parent: null, nested: { x: 1 } } },
  };

  it.each<[string, unknown, string | undefined]>([
    ['"hub": the hub id', 'hub', 'hub-1'],
    ['a string at the path', { key: 'event.productOrder.id' }, 'PO-1'],
    ['a top-level attribute', { key: 'correlationId' }, 'corr-9'],
    ['a number, as a string', { key: 'event.productOrder.priority' }, '3'],
    ['a boolean, as a string', { key: 'event.productOrder.urgent' }, 'false'],
    ['an absent path: unordered', { key: 'event.productOrder.state' }, undefined],
    ['a path through a missing parent: unordered', { key: 'event.service.id' }, undefined],
    ['null: unordered', { key: 'event.productOrder.parent' }, undefined],
    ['an object: unordered', { key: 'event.productOrder.nested' }, undefined],
    ['an array: unordered', { key: 'event.productOrder.items' }, undefined],
    ['a path through an array: unordered', { key: 'event.productOrder.items.id' }, undefined],
    ['an inherited property: unordered', { key: 'event.constructor' }, undefined],
  ])('should find the ordering key of %s', (_label, ordering, expected) => {
    const parsed = orderingOf({ id: 'hub-1', ordering });
    expect(parsed).toBeDefined();
    expect(orderingKeyFor(parsed!, 'hub-1', notification)).toBe(expected);
  });

  it('should read no ordering from a hub without one', () => {
    expect(orderingOf({ id: 'h' })).toBeUndefined();
  });
});
