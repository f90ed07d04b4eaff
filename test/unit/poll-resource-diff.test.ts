import { diffResources, type PolledResource } from '../../src/poll/resource-diff';
import { canonicalJson, stateDigest } from '../../src/poll/state-digest';

const order = (id: string, extra: Record<string, unknown> = {}): PolledResource => ({ id, '@type': 'ProductOrder', state: 'acknowledged', ...extra });
const known = (...states: PolledResource[]): Map<string, PolledResource> => new Map(states.map((state) => [state.id, state]));

describe('canonicalJson and stateDigest', () => {
  it.each<[string, unknown, string]>([
    ['keys sorted at every depth', { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}'],
    ['undefined attributes left out, as JSON does', { a: undefined, b: 'x' }, '{"b":"x"}'],
    ['a scalar', 'text', '"text"'],
    ['arrays keep their order', [3, 1, 2], '[3,1,2]'],
  ])('should write %s', (_case, value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it('should give states that differ only in attribute order one digest, and different states different ones', () => {
    expect(stateDigest({ id: '1', state: 'a' })).toBe(stateDigest({ state: 'a', id: '1' }));
    expect(stateDigest({ id: '1', state: 'a' })).not.toBe(stateDigest({ id: '1', state: 'b' }));
    expect(stateDigest({ id: '1' })).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('diffResources', () => {
  const a = order('a');
  const b = order('b');
  it.each<[string, Map<string, PolledResource>, unknown[], boolean, Array<[string, string]>]>([
    ['nothing known: every item a create', known(), [a, b], true, [['create', 'a'], ['create', 'b']]],
    ['the same states: no change', known(a, b), [b, a], true, []],
    ['attribute order only: no change', known(a), [{ state: 'acknowledged', '@type': 'ProductOrder', id: 'a' }], true, []],
    ['a changed attribute', known(a, b), [a, { ...b, state: 'completed' }], true, [['change', 'b']]],
    ['a resource gone from a complete list', known(a, b), [a], true, [['delete', 'b']]],
    ['a resource gone from an incomplete read: no delete', known(a, b), [a], false, []],
    ['creates and changes in list order, then deletes', known(a, b), [order('c'), { ...a, note: [] }], true, [['create', 'c'], ['change', 'a'], ['delete', 'b']]],
    ['an id listed twice counts once, as last listed', known(a), [{ ...a, state: 'x' }, a], true, []],
  ])('should find %s', (_case, before, items, complete, expected) => {
    const { changes, unkeyed } = diffResources(before, items, complete);
    expect(changes.map((change) => [change.kind, change.id])).toEqual(expected);
    expect(unkeyed).toEqual([]);
  });

  it('should carry the previous and the new state and the new digest of a change', () => {
    const changed = { ...a, state: 'completed' };
    expect(diffResources(known(a), [changed], true).changes).toEqual([{ kind: 'change', id: 'a', previous: a, state: changed, digest: stateDigest(changed) }]);
  });

  it('should carry the last known state of a delete', () => {
    expect(diffResources(known(a), [], true).changes).toEqual([{ kind: 'delete', id: 'a', previous: a }]);
  });

  it.each<[string, unknown]>([
    ['no id', { state: 'x' }],
    ['a numeric id', { id: 7 }],
    ['an empty id', { id: '' }],
    ['not an object', 'a'],
    ['null', null],
    ['an array', [{ id: 'a' }]],
  ])('should leave out an item with %s, reporting its place, and delete nothing for it', (_case, item) => {
    const { changes, unkeyed } = diffResources(known(a), [a, item], true);
    expect(changes).toEqual([]);
    expect(unkeyed).toEqual([1]);
  });
});
