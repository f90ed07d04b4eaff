import { denial, type Permission } from '../access/permissions';
import type { Principal } from '../access/principal';
import { topicScopePattern } from '../access/topic-scope';
import { ForbiddenError } from '../errors';
import type { FilterClause } from '../query/filter-clause';
import type { Resource } from '../store/store-types';

/**
 * Throws the 403 when `actor` may not act on `topic` with `permission`: the topic is out of its
 * scopes (scopes are topic names). No actor is the hub itself (seeds, topic sources): never refused.
 */
export function assertTopicAccess(actor: Principal | undefined, permission: Permission, topic: Resource): void {
  if (!actor) return;
  const denied = denial(actor, permission, typeof topic.name === 'string' ? topic.name : null);
  if (denied) throw new ForbiddenError(denied.message);
}

/** Whether checking `actor`'s scopes needs the topic's name (a scoped actor): else no name is read. */
export const isScoped = (actor: Principal | undefined): boolean => actor?.topics !== undefined;

/** The clause keeping a topic list to the actor's scopes, filtered in the store (paging and totals stay right); none when unscoped. */
export function topicScopeClauses(actor: Principal | undefined): FilterClause[] {
  if (!actor?.topics) return [];
  const regex = topicScopePattern(actor.topics);
  return [{ path: ['name'], op: 'regex', values: [regex.source], regex }];
}
