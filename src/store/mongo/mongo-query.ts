import type { Document, Filter } from 'mongodb';
import type { FilterClause } from '../../query/filter-clause';
import { NUMERIC } from '../../query/match-filter';
import { ALWAYS_KEPT_FIELDS } from '../../query/project-fields';

/** Resources are stored under `body`, beside the store's own fields (scope, id). */
export const BODY = 'body';


/**
 * The stored values a query value can equal, so that `5` matches the number and the string, and
 * `true` the boolean: the same semantics as the embedded store's matcher (src/hub/query/match-filter.ts).
 */
function candidates(value: string): unknown[] {
  const out: unknown[] = [value];
  if (NUMERIC.test(value)) out.push(Number(value));
  if (value === 'true') out.push(true);
  if (value === 'false') out.push(false);
  return out;
}

const COMPARISON = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

/** Translates TMF630 clauses (ANDed) into MongoDB filters on the document under `prefix` (the stored body by default). */
export function toMongoFilter(clauses: readonly FilterClause[], prefix: string = BODY): Filter<Document>[] {
  return clauses.map((clause) => {
    const path = [prefix, ...clause.path].filter(Boolean).join('.');
    switch (clause.op) {
      case 'eq':
        return { [path]: { $in: clause.values.flatMap(candidates) } };
      case 'ne':
        return { [path]: { $nin: clause.values.flatMap(candidates) } };
      case 'regex':
        return { [path]: { $regex: (clause.regex as RegExp).source } };
      default: {
        // Strings compare with strings and numbers with numbers, as MongoDB's type brackets do anyway.
        const operator = COMPARISON[clause.op];
        return {
          $or: clause.values.flatMap((v) =>
            NUMERIC.test(v) ? [{ [path]: { [operator]: v } }, { [path]: { [operator]: Number(v) } }] : [{ [path]: { [operator]: v } }],
          ),
        };
      }
    }
  });
}

/** A projection keeping the listed body paths plus id and @type; undefined keeps the whole body. */
export function toMongoProjection(fields: readonly string[] | undefined): Document {
  if (!fields) return { _id: 0, [BODY]: 1 };
  const wanted = [...new Set([...ALWAYS_KEPT_FIELDS, ...fields])];
  // MongoDB refuses a projection naming both a path and one inside it ("path collision").
  const kept = wanted.filter((f) => !wanted.some((other) => other !== f && f.startsWith(`${other}.`)));
  return Object.fromEntries([['_id', 0], ...kept.map((f) => [`${BODY}.${f}`, 1])]);
}
