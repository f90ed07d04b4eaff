import type { FilterClause } from './filter-clause';

/** A query value that is also a number: it matches stored numbers numerically (in both stores). */
export const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Evaluates clauses (ANDed) against a document. The semantics mirror the MongoDB translation in
 * src/store/mongo, so both stores answer a filter the same way: a path through an array matches
 * when any element matches; numbers compare numerically with numeric query values, strings compare
 * as strings, booleans equal "true"/"false"; `ne` holds when no value at the path equals any given.
 */
export function matchesFilter(doc: unknown, clauses: readonly FilterClause[]): boolean {
  return clauses.every((clause) => matchesClause(doc, clause));
}

function matchesClause(doc: unknown, clause: FilterClause): boolean {
  const found = valuesAt(doc, clause.path);
  if (clause.op === 'ne') return !found.some((v) => clause.values.some((q) => equals(v, q)));
  return found.some((v) => clause.values.some((q) => compare(v, q, clause)));
}

/** All values reached by the path, descending into every array element on the way and at the end. */
export function valuesAt(doc: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [doc];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const node of current) {
      for (const item of Array.isArray(node) ? node : [node]) {
        if (item !== null && typeof item === 'object' && Object.prototype.hasOwnProperty.call(item, segment)) {
          next.push((item as Record<string, unknown>)[segment]);
        }
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function equals(stored: unknown, query: string): boolean {
  if (typeof stored === 'string') return stored === query;
  if (typeof stored === 'number') return NUMERIC.test(query) && stored === Number(query);
  if (typeof stored === 'boolean') return String(stored) === query;
  return false;
}

function compare(stored: unknown, query: string, clause: FilterClause): boolean {
  switch (clause.op) {
    case 'eq':
      return equals(stored, query);
    case 'regex':
      return typeof stored === 'string' && (clause.regex as RegExp).test(stored);
    default: {
      let order: number;
      if (typeof stored === 'number' && NUMERIC.test(query)) order = stored - Number(query);
      else if (typeof stored === 'string') order = stored < query ? -1 : stored > query ? 1 : 0;
      else return false;
      if (clause.op === 'gt') return order > 0;
      if (clause.op === 'gte') return order >= 0;
      if (clause.op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}
