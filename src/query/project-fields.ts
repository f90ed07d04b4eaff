import { BadRequestError } from '../errors';

/** Attributes every representation keeps whatever `fields=` asks for (TMF630). */
export const ALWAYS_KEPT_FIELDS: readonly string[] = ['id', 'href', '@type'];

/** Parses `fields=a,b.c` into paths; `undefined` when absent (all attributes). Throws BadRequestError. */
export function parseFields(fields: string | undefined): string[] | undefined {
  if (fields === undefined) return undefined;
  const list = fields.split(',').map((f) => f.trim()).filter(Boolean);
  for (const field of list) {
    if (field.split('.').some((segment) => segment === '' || segment.startsWith('$'))) {
      throw new BadRequestError(`fields: "${field}" is not a valid attribute name`, 'Invalid query');
    }
  }
  return list.length ? list : undefined;
}

/** Keeps only the listed (possibly dotted) attribute paths plus id, href and @type. */
export function projectFields<T extends Record<string, unknown>>(doc: T, fields: readonly string[] | undefined): T {
  if (!fields) return doc;
  const out: Record<string, unknown> = {};
  for (const field of [...ALWAYS_KEPT_FIELDS, ...fields]) copyPath(doc, out, field.split('.'));
  return out as T;
}

/** Reads only own properties: `__proto__` or `constructor` in a path must never reach a prototype. */
const own = (obj: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

/** Writes an own data property even for a key such as `__proto__`, which plain assignment would treat as the prototype. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function copyPath(from: unknown, to: Record<string, unknown>, path: string[]): void {
  if (from === null || typeof from !== 'object') return;
  const [head, ...rest] = path;
  if (Array.isArray(from)) return;
  if (!Object.prototype.hasOwnProperty.call(from, head)) return;
  const value = (from as Record<string, unknown>)[head];
  if (rest.length === 0) {
    define(to, head, value);
    return;
  }
  const current = own(to, head);
  if (Array.isArray(value)) {
    const existing = Array.isArray(current) ? (current as Record<string, unknown>[]) : [];
    define(
      to,
      head,
      value.map((item, i) => {
        const target = existing[i] ?? {};
        copyPath(item, target, rest);
        return target;
      }),
    );
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const target = (current as Record<string, unknown> | undefined) ?? {};
  define(to, head, target);
  copyPath(value, target, rest);
}
