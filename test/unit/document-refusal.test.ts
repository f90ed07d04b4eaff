import { BSON, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { assertStorableSize, MAX_DOCUMENT_BYTES, refusalOf, renderPath } from '../../src/store/mongo/document-refusal';
import { findPath } from '../../src/store/mongo/find-path';
import { DocumentRefusedError } from '../../src/store/store-errors';

/** A server error as the driver raises it for a failed insertOne (the first write error). */
const serverError = (code: number, errmsg: string) => new MongoServerError({ code, errmsg, message: errmsg });

/** A failed insertMany: the driver's bulk error, whose write error says which document failed. */
function bulkError(code: number, errmsg: string, index: number): MongoBulkWriteError {
  const writeErrors = [{ code, errmsg, index }];
  return new MongoBulkWriteError({ message: errmsg, code, writeErrors } as never, {} as never);
}

const stored = (body: Record<string, unknown>) => ({ scope: 't', id: 'r1', body });

describe('refusalOf: driver errors that mean "this document cannot be stored"', () => {
  // Messages as MongoDB before 5.0 words them: the key and its full path in the stored document.
  it.each([
    [52, "The dollar ($) prefixed field '$x' in 'body.order.$x' is not valid for storage.", { order: { $x: 1 } }, 'order.$x', 'starts with "$"'],
    [57, "The dotted field 'a.b' in 'body.order.a.b' is not valid for storage.", { order: { 'a.b': 1 } }, 'order."a.b"', 'contains "."'],
  ])('should map code %i to a refusal naming the attribute path', (code, message, body, path, why) => {
    const refused = refusalOf(serverError(code, message), [stored(body)], 'body');
    expect(refused).toBeInstanceOf(DocumentRefusedError);
    expect(refused?.path).toBe(path);
    expect(refused?.message).toBe(`The database cannot store the attribute ${path}: its name ${why}`);
    expect(refused?.message).not.toContain('valid for storage');
  });

  it('should find an empty field name (code 56) when the message does not quote it', () => {
    const refused = refusalOf(serverError(56, 'An empty field name is not valid'), [stored({ a: [{ '': 1 }] })], 'body');
    expect(refused?.path).toBe('a.0.""');
    expect(refused?.message).toContain('its name is empty');
  });

  it.each([
    [10334, 'BSONObj size: 16793700 (0x1004064) is invalid. Size must be between 0 and 16793600(16MB)'],
    [17419, 'Resulting document after update is larger than 16777216'],
    [2, 'object to insert too large. size in bytes: 16777300, max size: 16777216'],
  ])('should map the size refusal %i to a refusal without a path', (code, message) => {
    const refused = refusalOf(serverError(code, message), [stored({ a: 1 })], 'body');
    expect(refused?.path).toBeUndefined();
    expect(refused?.message).toBe('The database cannot store this: the document is larger than the 16 MiB the database stores');
  });

  // BadValue as FerretDB 1.x words its refusals (its documented "known differences").
  it.each([
    ['invalid key: "a.b" (key must not contain \'.\' sign)', { x: { 'a.b': 1 } }, 'x."a.b"', 'contains "."'],
    ['invalid key: "$ref2" (key must not start with \'$\' sign)', { x: [{ $ref2: 1 }] }, 'x.0.$ref2', 'starts with "$"'],
    ['invalid value: { "m": [ [ 1 ] ] } (nested arrays are not supported)', { m: [1, [2]] }, 'm.1', 'is an array directly inside an array'],
  ])('should map BadValue "%s" to a refusal naming the path', (message, body, path, why) => {
    const refused = refusalOf(serverError(2, message), [stored(body)], 'body');
    expect(refused?.path).toBe(path);
    expect(refused?.message).toContain(why);
  });

  it('should leave BadValue about anything else, duplicates and other server errors alone', () => {
    expect(refusalOf(serverError(2, '$in needs an array'), [stored({})], 'body')).toBeUndefined();
    expect(refusalOf(serverError(11000, 'E11000 duplicate key error'), [stored({})], 'body')).toBeUndefined();
    expect(refusalOf(serverError(13, 'not authorized'), [stored({})], 'body')).toBeUndefined();
    expect(refusalOf(new Error('boom'), [stored({})], 'body')).toBeUndefined();
  });

  it('should name the attribute of the document a bulk write error points at', () => {
    const docs = [stored({ fine: 1 }), stored({ other: { $y: 1 } })];
    const refused = refusalOf(bulkError(52, "The dollar ($) prefixed field '$y' in 'body.other.$y' is not valid for storage.", 1), docs, 'body');
    expect(refused?.path).toBe('other.$y');
  });

  it('should map the serializer refusing a NUL in a field name, finding its path', () => {
    const body = { event: { 'bad\u0000key': 1 } };
    let thrown: unknown;
    try {
      BSON.serialize(stored(body));
    } catch (err) {
      thrown = err;
    }
    const refused = refusalOf(thrown, [stored(body)], 'body');
    expect(refused?.path).toBe('event."bad\\u0000key"');
    expect(refused?.message).toContain('its name contains a NUL character');
  });

  it('should report no path for the hub’s own documents (no user root)', () => {
    const refused = refusalOf(serverError(52, "The dollar ($) prefixed field '$x' in 'x.$x' is not valid for storage."), [{ x: { $x: 1 } }]);
    expect(refused?.path).toBeUndefined();
    expect(refused?.message).toBe('The database cannot store an attribute of this document: its name starts with "$"');
  });
});

describe('assertStorableSize', () => {
  it('should refuse a document over 16 MiB as BSON and accept one under it', () => {
    expect(() => assertStorableSize({ s: 'x'.repeat(MAX_DOCUMENT_BYTES) })).toThrow(DocumentRefusedError);
    expect(() => assertStorableSize({ s: 'x'.repeat(MAX_DOCUMENT_BYTES - 1024) })).not.toThrow();
  });
});

describe('findPath and renderPath', () => {
  it('should find the first match depth-first in document order, through arrays', () => {
    expect(findPath({ a: { b: 1 }, c: [{ d: 1 }, { target: 1 }], target: 2 }, (n) => n === 'target')).toEqual(['c', 1, 'target']);
    expect(findPath({ a: [[1]] }, undefined, true)).toEqual(['a', 0]);
    expect(findPath({ a: [1, { b: [2] }] }, undefined, true)).toBeUndefined();
  });

  it('should quote names that would not read as one segment of a dotted path', () => {
    expect(renderPath(['event', 'a.b', 0, '@type', '$x', '', 'a b'])).toBe('event."a.b".0.@type.$x.""."a b"');
  });
});
