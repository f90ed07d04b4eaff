import { BadRequestError } from '../errors';
import { assertSafeRegex } from './safe-regex';
import { FILTER_OPERATORS, type FilterClause, type FilterOperator } from './filter-clause';

/** A query string as key/value pairs, in order, repeated keys kept (what URLSearchParams yields). */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

const SYMBOL_OPERATORS: ReadonlyArray<readonly [string, FilterOperator]> = [
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['>', 'gt'],
  ['<', 'lt'],
];

/**
 * Parses TMF630 attribute filtering into clauses. Accepted forms, for any dotted attribute path:
 * `a=v`, `a=v1,v2` and repeated `a=v1&a=v2` (OR), `a.gt=v` (and .gte .lt .lte .eq .ne .regex),
 * `a>=v` / `a<=v` (the `=` ends the key, so the key arrives as `a>` / `a<`) and `a>v` / `a<v`
 * (no `=`, so the whole condition arrives as a key with an empty value).
 * Keys listed in `reserved` (fields, offset, limit, ...) are skipped. Throws BadRequestError.
 */
export function parseFilter(pairs: QueryPairs, reserved: ReadonlySet<string> = new Set()): FilterClause[] {
  const byKey = new Map<string, FilterClause>();
  for (const [rawKey, rawValue] of pairs) {
    if (reserved.has(rawKey)) continue;
    const { path, op, value } = splitCondition(rawKey, rawValue);
    const values = op === 'regex' ? [value] : value.split(',');
    const key = `${path.join('.')}\u0000${op}`;
    const existing = byKey.get(key);
    if (existing && op !== 'regex') {
      existing.values.push(...values);
      continue;
    }
    const clause: FilterClause = { path, op, values };
    if (op === 'regex') clause.regex = compileRegex(path, value);
    // Two regex conditions on one attribute must both hold, so they stay separate clauses.
    byKey.set(existing ? `${key}\u0000${byKey.size}` : key, clause);
  }
  return [...byKey.values()];
}

/** Parses a query held as one string (a hub `query`, a topic `headerQuery`), e.g. `eventType=A,B&domain=x`. */
export function parseFilterString(query: string, reserved: ReadonlySet<string> = new Set()): FilterClause[] {
  const trimmed = query.trim().replace(/^\?/, '');
  if (trimmed === '') return [];
  let pairs: Array<[string, string]>;
  try {
    pairs = trimmed.split('&').filter(Boolean).map((part) => {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      // A query held in a JSON attribute is not a submitted form: '+' stays a plus (regexes need it).
      return [decodeURIComponent(key), decodeURIComponent(value)];
    });
  } catch {
    throw new BadRequestError(`The query "${query}" is not a valid URL-encoded query string`, 'Invalid query');
  }
  return parseFilter(pairs, reserved);
}

function splitCondition(rawKey: string, rawValue: string): { path: string[]; op: FilterOperator; value: string } {
  let key = rawKey;
  let value = rawValue;
  let op: FilterOperator | undefined;
  if (key.endsWith('>') || key.endsWith('<')) {
    op = key.endsWith('>') ? 'gte' : 'lte';
    key = key.slice(0, -1);
  } else if (value === '' && /[<>]/.test(key)) {
    const symbol = SYMBOL_OPERATORS.find(([s]) => key.includes(s));
    if (symbol) {
      const at = key.indexOf(symbol[0]);
      value = key.slice(at + symbol[0].length);
      key = key.slice(0, at);
      op = symbol[1];
    }
  }
  const path = key.split('.');
  const last = path[path.length - 1];
  if (!op && path.length > 1 && (FILTER_OPERATORS as readonly string[]).includes(last)) {
    op = last as FilterOperator;
    path.pop();
  }
  for (const segment of path) {
    if (segment === '' || segment.startsWith('$') || /[<>]/.test(segment)) {
      throw new BadRequestError(`"${rawKey}" is not a valid attribute filter: bad attribute name "${segment}"`, 'Invalid query');
    }
  }
  return { path, op: op ?? 'eq', value };
}

function compileRegex(path: string[], source: string): RegExp {
  assertSafeRegex(source, path.join('.'));
  try {
    return new RegExp(source);
  } catch (err) {
    throw new BadRequestError(
      `The regular expression for "${path.join('.')}" is invalid: ${(err as Error).message}`,
      'Invalid query',
    );
  }
}
