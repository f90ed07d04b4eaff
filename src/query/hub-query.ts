import { BadRequestError } from '../errors';
import type { FilterClause } from './filter-clause';
import { matchesFilter } from './match-filter';
import { parseFilterString } from './parse-filter';
import { parseFields } from './project-fields';

/**
 * A hub's `query` compiled once: TMF630 conditions on the notification document (eventType, domain,
 * priority, event.* paths, ...) and an optional `fields=` projection of the delivered payload.
 */
export interface CompiledQuery {
  clauses: FilterClause[];
  fields?: string[];
}

const FIELDS = new Set(['fields']);

/** Compiles a hub query; throws BadRequestError naming `attribute` for an invalid one. */
export function compileQuery(query: string | undefined, attribute = 'query'): CompiledQuery {
  if (!query) return { clauses: [] };
  try {
    const clauses = parseFilterString(query, FIELDS);
    const fieldsPair = query.replace(/^\?/, '').split('&').find((part) => part.startsWith('fields='));
    const fields = fieldsPair ? parseFields(decodeURIComponent(fieldsPair.slice('fields='.length))) : undefined;
    return { clauses, fields };
  } catch (err) {
    throw new BadRequestError(`${attribute}: ${(err as Error).message}`, 'Invalid query');
  }
}

/**
 * Compiles a topic's contentQuery, which applies to the event payload (`event`): its paths are
 * relative to the payload, and a leading `event.` is accepted too.
 */
export function compileContentQuery(query: string | undefined): CompiledQuery {
  const compiled = compileQuery(query, 'contentQuery');
  return {
    clauses: compiled.clauses.map((c) => ({ ...c, path: c.path[0] === 'event' && c.path.length > 1 ? c.path.slice(1) : c.path })),
  };
}

/** Whether a notification passes the topic's header and content queries and the hub's own query. */
export function notificationMatches(
  notification: Record<string, unknown>,
  hub: CompiledQuery,
  topic: { header: CompiledQuery; content: CompiledQuery } = { header: { clauses: [] }, content: { clauses: [] } },
): boolean {
  return (
    matchesFilter(notification, topic.header.clauses) &&
    matchesFilter(notification.event, topic.content.clauses) &&
    matchesFilter(notification, hub.clauses)
  );
}

/** Compiled queries by source text: hubs are many, distinct queries few. Bounded so it cannot grow without end. */
export class QueryCache {
  private readonly cache = new Map<string, CompiledQuery>();

  constructor(private readonly maxEntries = 10_000) {}

  get(query: string | undefined, compile: (q: string | undefined) => CompiledQuery = compileQuery): CompiledQuery {
    const key = query ?? '';
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = compile(query);
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
