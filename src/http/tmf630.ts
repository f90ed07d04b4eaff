import { BadRequestError } from '../errors';
import { parseFilter } from '../query/parse-filter';
import { parseFields } from '../query/project-fields';
import { withHref } from '../hub/links';
import type { ListQuery, Page, Resource } from '../store/store-types';
import type { ApiRequest, HttpResult, ListLimits } from './api-request';

/** Query parameters with a TMF630 meaning of their own; everything else is an attribute filter. */
const RESERVED = new Set(['fields', 'offset', 'limit', 'sort', 'depth', 'expand']);

/** Turns a list request's query string into a store query (the schema already checked the types). */
export function listQueryFrom(req: ApiRequest, limits: ListLimits): ListQuery {
  const single = (name: string, fallback: number): number => {
    const raw = req.queryPairs.find(([key]) => key === name)?.[1];
    if (raw === undefined) return fallback;
    // The schema coerces a blank value to 0 and "0.0" or "1e2" to integers: only plain digits are an offset or limit.
    if (raw.trim() === '') throw new BadRequestError(`${name} must be an integer, got an empty value`, 'Invalid paging');
    if (!/^\d+$/.test(raw)) throw new BadRequestError(`${name} must be an integer written in digits, got ${JSON.stringify(raw)}`, 'Invalid paging');
    return Number(raw);
  };
  const offset = single('offset', 0);
  const limit = single('limit', limits.listDefaultLimit);
  // The contract declares this maximum too (contractDocument); this holds even for a backend built with another.
  if (limit > limits.listMaxLimit) {
    throw new BadRequestError(`limit must be at most ${limits.listMaxLimit}, got ${limit}`, 'Invalid paging');
  }
  const filter = parseFilter(req.queryPairs, RESERVED);
  for (const clause of filter) {
    const refusal = req.filterable?.refusal(clause.path);
    // The message names the attribute only: never the value, which may be someone's guess at a secret.
    if (refusal) throw new BadRequestError(`${clause.path.join('.')} cannot be used in a filter: ${refusal}`, 'Invalid query');
  }
  return { filter, offset, limit, fields: fieldsFrom(req) };
}

/**
 * The attributes `fields=` asks for, plus those the operation's response schema requires of them (a
 * representation without them would break the contract); undefined when `fields` is absent. The
 * stores keep id and @type besides; href is computed.
 */
export function fieldsFrom(req: ApiRequest): string[] | undefined {
  const fields = parseFields(req.queryPairs.find(([key]) => key === 'fields')?.[1]);
  return fields && [...new Set([...fields, ...req.requiredFor(fields)])];
}

/** A 200 list answer with the TMF630 count headers. */
export function pageResult(body: readonly unknown[], total: number): HttpResult {
  return { status: 200, body, headers: { 'X-Total-Count': String(total), 'X-Result-Count': String(body.length) } };
}

export function listResult(page: Page, hrefOf: (r: Resource) => string): HttpResult {
  return pageResult(page.items.map((r) => withHref(r, hrefOf(r))), page.total);
}

export function createdResult(resource: Resource, href: string): HttpResult {
  return { status: 201, body: withHref(resource, href), headers: { Location: href } };
}
