import { breakingChanges } from '../../src/hub/schema-compatibility';

type Schema = Record<string, unknown>;

const obj = (properties: Record<string, unknown>, extra: Schema = {}): Schema => ({ type: 'object', properties, ...extra });
const alarm = (alarmSchema: Schema): Schema => obj({ eventType: { type: 'string' }, event: obj({ alarm: alarmSchema }) });
const base = alarm(obj({ id: { type: 'string' }, severity: { type: 'string', enum: ['critical', 'major', 'minor'] }, count: { type: 'integer', minimum: 0, maximum: 100 } }, { required: ['id'] }));

/** [name, previous, next, expected breaking changes as "path: start of the change"; [] = compatible]. */
const CASES: Array<[string, Schema | boolean, Schema | boolean, string[]]> = [
  // compatible
  ['identical schemas', base, base, []],
  ['an optional attribute added', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' }, b: { type: 'number' } }), []],
  ['a type widened (string -> string|null)', obj({ a: { type: 'string' } }), obj({ a: { type: ['string', 'null'] } }), []],
  ['integer widened to number', obj({ a: { type: 'integer' } }), obj({ a: { type: 'number' } }), []],
  ['an enum widened', obj({ s: { enum: ['a', 'b'] } }), obj({ s: { enum: ['a', 'b', 'c'] } }), []],
  ['an enum removed (its values stay allowed)', obj({ s: { enum: ['a'] } }), obj({ s: { type: 'string' } }), []],
  ['a bound loosened', obj({ n: { type: 'integer', minimum: 5, maximum: 10 } }), obj({ n: { type: 'integer', minimum: 0, maximum: 20 } }), []],
  ['a required attribute made optional', obj({ a: { type: 'string' } }, { required: ['a'] }), obj({ a: { type: 'string' } }), []],
  ['a description changed', obj({ a: { type: 'string', description: 'x' } }), obj({ a: { type: 'string', description: 'y' } }), []],
  ['a $ref swapped for the same inline schema', { $defs: { A: { type: 'string' } }, ...obj({ a: { $ref: '#/$defs/A' } }) }, obj({ a: { type: 'string' } }), []],
  ['additionalProperties opened', obj({}, { additionalProperties: false }), obj({}), []],
  ['allOf split of the same object', obj({ a: { type: 'string' }, b: { type: 'string' } }), { allOf: [obj({ a: { type: 'string' } }), obj({ b: { type: 'string' } })] }, []],
  ['an anyOf alternative added', { anyOf: [{ type: 'string' }] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }, []],
  ['multipleOf loosened (4 -> 2)', obj({ n: { type: 'integer', multipleOf: 4 } }), obj({ n: { type: 'integer', multipleOf: 2 } }), []],
  ['a recursive model unchanged', recursive({ type: 'string' }), recursive({ type: 'string' }), []],
  // breaking
  ['a declared attribute removed', obj({ a: { type: 'string' }, b: { type: 'string' } }), obj({ a: { type: 'string' } }), ['$.b: declared attribute removed']],
  ['an optional attribute made required', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }, { required: ['a'] }), ['$.a: optional attribute made required']],
  ['a required attribute added', obj({}), obj({ b: { type: 'string' } }, { required: ['b'] }), ['$.b: required attribute added']],
  ['a type narrowed (number -> integer)', obj({ a: { type: 'number' } }), obj({ a: { type: 'integer' } }), ['$.a: type narrowed from number to integer']],
  ['a type changed (string -> integer), nested', base, alarm(obj({ id: { type: 'integer' }, severity: { type: 'string', enum: ['critical', 'major', 'minor'] }, count: { type: 'integer', minimum: 0, maximum: 100 } }, { required: ['id'] })), ['$.event.alarm.id: type narrowed from string to integer']],
  ['an enum narrowed, nested', base, alarm(obj({ id: { type: 'string' }, severity: { type: 'string', enum: ['critical', 'major'] }, count: { type: 'integer', minimum: 0, maximum: 100 } }, { required: ['id'] })), ['$.event.alarm.severity: enum narrowed: "minor"']],
  ['an enum added', obj({ s: { type: 'string' } }), obj({ s: { type: 'string', enum: ['a'] } }), ['$.s: enum added']],
  ['a minimum raised and a maximum lowered', base, alarm(obj({ id: { type: 'string' }, severity: { type: 'string', enum: ['critical', 'major', 'minor'] }, count: { type: 'integer', minimum: 1, maximum: 50 } }, { required: ['id'] })), ['$.event.alarm.count: minimum tightened from 0 to 1', '$.event.alarm.count: maximum tightened from 100 to 50']],
  ['a maxLength added', obj({ a: { type: 'string' } }), obj({ a: { type: 'string', maxLength: 10 } }), ['$.a: maxLength tightened from none to 10']],
  ['a pattern added', obj({ a: { type: 'string' } }), obj({ a: { type: 'string', pattern: '^A' } }), ['$.a: pattern added']],
  ['a format added', obj({ a: { type: 'string' } }), obj({ a: { type: 'string', format: 'date-time' } }), ['$.a: format added']],
  ['additionalProperties closed', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }, { additionalProperties: false }), ['$: additionalProperties closed']],
  ['array items narrowed', obj({ l: { type: 'array', items: { type: ['string', 'number'] } } }), obj({ l: { type: 'array', items: { type: 'string' } } }), ['$.l[*]: type narrowed from string|number to string']],
  ['an anyOf alternative dropped', { anyOf: [{ type: 'string' }, { type: 'number' }] }, { anyOf: [{ type: 'string' }] }, ['$: anyOf alternative 2 is no longer accepted']],
  ['a type added where any value was allowed', obj({ a: {} }), obj({ a: { type: 'string' } }), ['$.a: type narrowed from any to string']],
  ['the schema that allows nothing', obj({}), false, ['$: no value is allowed any more']],
  ['a change inside a recursive model', recursive({ type: 'string' }), recursive({ type: 'integer' }), ['$.name: type narrowed from string to integer']],
  ['a change through $ref and allOf ($defs, as imports store them)', { $defs: { P: obj({ state: { type: 'string' } }) }, allOf: [{ $ref: '#/$defs/P' }] }, { $defs: { P: obj({ state: { type: 'string', enum: ['done'] } }) }, allOf: [{ $ref: '#/$defs/P' }] }, ['$.state: enum added']],
];

/** A node that contains children of its own type, through $defs. */
function recursive(nameSchema: Schema): Schema {
  return { $defs: { Node: obj({ name: nameSchema, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) }, $ref: '#/$defs/Node' };
}

describe('breakingChanges', () => {
  it('has at least 15 pairs of each verdict', () => {
    expect(CASES.filter(([, , , expected]) => expected.length === 0).length).toBeGreaterThanOrEqual(15);
    expect(CASES.filter(([, , , expected]) => expected.length > 0).length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES)('%s', (_name, previous, next, expected) => {
    const found = breakingChanges(previous as Schema, next as Schema).map((c) => `${c.path}: ${c.change}`);
    expect(found).toHaveLength(expected.length);
    expected.forEach((prefix, i) => expect(found[i].startsWith(prefix)).toBe(true));
  });

  it('reports every breaking change of one registration, each by its own path', () => {
    const previous = obj({ a: { type: 'string' }, b: { type: 'number' }, c: { enum: [1, 2] } });
    const next = obj({ a: { type: 'string' }, b: { type: 'integer' }, c: { enum: [1] } }, { required: ['a'] });
    expect(breakingChanges(previous, next).map((c) => c.path).sort()).toEqual(['$.a', '$.b', '$.c']);
  });
});
