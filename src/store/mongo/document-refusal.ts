import { BSON, MongoBulkWriteError, MongoServerError, type Document } from 'mongodb';
import { DocumentRefusedError } from '../store-errors';
import { findPath, type PathSegment } from './find-path';

/** MongoDB's limit on one stored document (BSONObjMaxUserSize), unchanged since MongoDB 1.8. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** Room for the `_id` the driver adds to an insert after the size is checked. */
const ID_ALLOWANCE_BYTES = 32;

type Refusal = 'dollar' | 'dotted' | 'empty' | 'nul' | 'nested-array' | 'size' | 'shape';

/**
 * Server error codes that mean "this document cannot be stored as it is" (as opposed to a bad
 * operation, a duplicate key or an outage). Names and numbers are MongoDB's (error_codes.yml);
 * FerretDB uses the same codes.
 */
export const REFUSAL_CODES: ReadonlyMap<number, Refusal> = new Map<number, Refusal>([
  // DollarPrefixedFieldName: a field name starts with "$" (MongoDB before 5.0, FerretDB 1.x).
  [52, 'dollar'],
  // EmptyFieldName: an empty field name where the server does not allow one.
  [56, 'empty'],
  // DottedFieldName: a field name contains "." (MongoDB before 5.0 in some writes, FerretDB 1.x).
  [57, 'dotted'],
  // BSONObjectTooLarge: the document (or the command carrying it) is over 16 MiB.
  [10334, 'size'],
  // "Resulting document after update is larger than 16777216" (MongoDB 3.x and 4.x updates).
  [17419, 'size'],
]);

/**
 * BadValue (2) is a generic code: MongoDB before 5.0 ("object to insert too large", "can't have $
 * prefixed field names") and FerretDB 1.x ("invalid key", "nested arrays are not supported") use
 * it for refused documents, other commands for bad arguments. Only these messages count as a refusal.
 */
const BAD_VALUE = 2;
const BAD_VALUE_REFUSALS: ReadonlyArray<[RegExp, Refusal]> = [
  [/too large/i, 'size'],
  [/nested arrays?/i, 'nested-array'],
  [/\$ prefixed|start with '\$'|dollar/i, 'dollar'],
  [/contain '\.'|dotted/i, 'dotted'],
  [/empty (key|field)/i, 'empty'],
  [/invalid (key|document)|field name|not valid for storage/i, 'shape'],
];

const WHY: Record<Refusal, string> = {
  dollar: 'its name starts with "$"',
  dotted: 'its name contains "."',
  empty: 'its name is empty',
  nul: 'its name contains a NUL character',
  'nested-array': 'it is an array directly inside an array',
  size: 'the document is larger than the 16 MiB the database stores',
  shape: 'the database refuses its shape',
};

/**
 * Refuses, before anything is sent, a document over MongoDB's size limit. Left to the driver, an
 * oversized insert fails in ways that do not say so: a RangeError from the serializer, or the
 * server closing the connection (which would read as an outage, a 503).
 */
export function assertStorableSize(document: Document): void {
  const bytes = BSON.calculateObjectSize(document, { ignoreUndefined: true }) + ID_ALLOWANCE_BYTES;
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new DocumentRefusedError(`The database cannot store this: ${WHY.size} (about ${bytes} bytes stored)`);
  }
}

/**
 * The DocumentRefusedError for a driver error that means the database will not store one of
 * `documents`, or undefined for any other error. `userRoot` is the field holding the client's
 * resource (paths are reported relative to it); without one, no path is reported, since the
 * document is the hub's own (a delivery) and its field names mean nothing to the client.
 */
export function refusalOf(err: unknown, documents: readonly Document[], userRoot?: string): DocumentRefusedError | undefined {
  const { refusal, message, index } = classify(err) ?? {};
  if (!refusal) return undefined;
  if (refusal === 'size') return new DocumentRefusedError(`The database cannot store this: ${WHY.size}`, undefined, err);
  const root = userRoot === undefined ? undefined : documents[index ?? 0]?.[userRoot];
  const segments = root === undefined ? undefined : locate(refusal, message ?? '', root);
  const path = segments?.length ? renderPath(segments) : undefined;
  const what = path ? `the attribute ${path}` : 'an attribute of this document';
  return new DocumentRefusedError(`The database cannot store ${what}: ${WHY[refusal]}`, path, err);
}

function classify(err: unknown): { refusal?: Refusal; message?: string; index?: number } | undefined {
  // The serializer refuses a field name with a NUL byte before anything is sent, on every server.
  if (BSON.BSONError.isBSONError(err) && /null bytes/.test(err.message)) return { refusal: 'nul', message: err.message };
  if (err instanceof MongoBulkWriteError) {
    const first = err.writeErrors ? [err.writeErrors].flat()[0] : undefined;
    if (first) return { refusal: byCode(first.code, first.errmsg ?? ''), message: first.errmsg, index: first.index };
  }
  if (err instanceof MongoServerError && typeof err.code === 'number') return { refusal: byCode(err.code, err.message), message: err.message };
  return undefined;
}

function byCode(code: number, message: string): Refusal | undefined {
  if (code === BAD_VALUE) return BAD_VALUE_REFUSALS.find(([pattern]) => pattern.test(message))?.[1];
  return REFUSAL_CODES.get(code);
}

/** Where in the client's document the refused thing is: by the key the message quotes, else by its kind. */
function locate(refusal: Refusal, message: string, root: unknown): PathSegment[] | undefined {
  const quoted = /(?:field|key)[: ]+(?:'([^']*)'|"((?:[^"\\]|\\.)*)")/.exec(message);
  const key = quoted ? (quoted[1] ?? unescapeJson(quoted[2])) : undefined;
  if (key) {
    const found = findPath(root, (name) => name === key);
    if (found) return found;
  }
  if (refusal === 'nul') return findPath(root, (name) => name.includes('\u0000'));
  if (refusal === 'dollar') return findPath(root, (name) => name.startsWith('$'));
  if (refusal === 'dotted') return findPath(root, (name) => name.includes('.'));
  if (refusal === 'empty') return findPath(root, (name) => name === '');
  if (refusal === 'nested-array') return findPath(root, undefined, true);
  return undefined;
}

function unescapeJson(text: string): string | undefined {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return undefined;
  }
}

/** A dotted path as TMF630 writes it; a name that would read ambiguously there is quoted as JSON. */
export function renderPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => (typeof s === 'number' || /^[\w@$-]+$/.test(s) ? String(s) : JSON.stringify(s))).join('.');
}
