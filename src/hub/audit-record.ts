import type { Resource } from '../store/store-types';

export const AUDIT_RECORD_TYPE = 'AuditRecord';

/** What is recorded of a state change or a refusal: who, what, on which resource, and the answer's status. */
export interface AuditEntry {
  /** The principal's name (`anonymous` when the hub runs open, `unauthenticated` for a refused credential). */
  principal: string;
  /** The operationId, or `METHOD path` when no operation matched. */
  operation: string;
  /** The href of the resource (a created one's Location) or the request path: never a query string. */
  resource: string;
  status: number;
}

/** Longer texts are cut: a record stays small whatever a request path holds. */
export const MAX_AUDIT_TEXT = 2048;

/**
 * A path or URL without what may carry a credential or a client's data: the query string and
 * fragment (an API key or token passed as a parameter, a filter value) and the user information
 * of an absolute URL.
 */
export function withoutQuery(text: string): string {
  const cut = text.search(/[?#]/);
  const bare = cut < 0 ? text : text.slice(0, cut);
  return bare.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

const bounded = (text: string): string => (text.length > MAX_AUDIT_TEXT ? text.slice(0, MAX_AUDIT_TEXT) : text);

/** The stored record of an entry: only the entry's four facts, cleaned, with when and an id. */
export function auditRecord(entry: AuditEntry, id: string, at: Date): Resource {
  return {
    id,
    at: at.toISOString(),
    principal: bounded(String(entry.principal)),
    operation: bounded(withoutQuery(String(entry.operation))),
    resource: bounded(withoutQuery(String(entry.resource))),
    status: entry.status,
    '@type': AUDIT_RECORD_TYPE,
  };
}
