/**
 * How a poll reads a TMF list (TMF630 paging): `offset` and `limit` on the URL, page after page,
 * until `X-Total-Count` items are read or a page comes back short. A server that caps `limit` below
 * what was asked answers short pages: without X-Total-Count that would end the list early (and
 * read as deletes), so the page size is the URL's own `limit` when it names one, else TMF's usual 100.
 */
export const DEFAULT_PAGE_SIZE = 100;

/** The page size a source's URL asks for: its positive integer `limit`, else DEFAULT_PAGE_SIZE. Pure. */
export function pageSize(url: string): number {
  const limit = new URL(url).searchParams.get('limit');
  return limit !== null && /^[1-9]\d{0,5}$/.test(limit) ? Number(limit) : DEFAULT_PAGE_SIZE;
}

/** The URL of the page at `offset`: the source's URL with `offset` and `limit` set (other parameters kept). Pure. */
export function pageUrl(url: string, offset: number, limit: number): string {
  const page = new URL(url);
  page.searchParams.set('offset', String(offset));
  page.searchParams.set('limit', String(limit));
  return page.toString();
}

/** X-Total-Count as a count, undefined when absent or not a non-negative integer. Pure. */
export function totalCount(header: string | null | undefined): number | undefined {
  return header !== null && header !== undefined && /^\s*\d{1,15}\s*$/.test(header) ? Number(header) : undefined;
}

export interface PageRead {
  offset: number;
  limit: number;
  /** How many items the page held. */
  received: number;
  /** X-Total-Count of the answer, when it had one. */
  total?: number;
}

/**
 * The offset of the next page, `'done'` when the list is read whole, or why reading on is refused
 * (more than `maxResources` items). Pure.
 */
export function nextPage(page: PageRead, maxResources: number): number | 'done' | { refused: string } {
  const next = page.offset + page.received;
  const ended = page.total !== undefined ? next >= page.total || page.received === 0 : page.received < page.limit;
  if (ended) return 'done';
  if (next >= maxResources) return { refused: `the list holds more than HUB_POLL_MAX_RESOURCES (${maxResources}) resources` };
  return next;
}

/** A poll answer's body: a list's items, or a single resource as the one item. */
export type PollBody = { items: unknown[]; list: boolean };

/** A poll answer's body read: a JSON array is a list page, a JSON object a single resource; anything else is why not. Pure. */
export function readPollBody(text: string): PollBody | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `the body is not JSON: ${(err as Error).message}`;
  }
  if (Array.isArray(parsed)) return { items: parsed, list: true };
  if (parsed !== null && typeof parsed === 'object') return { items: [parsed], list: false };
  return 'the body is neither a JSON array (a TMF list) nor a JSON object (a resource)';
}
