import { hasPermission } from '../access/permissions';
import type { Principal } from '../access/principal';
import type { FilterClause } from '../query/filter-clause';
import type { Resource } from '../store/store-types';

/** The read-only attribute naming the principal that created a hub or a POST /hub registration. */
export const OWNER_ATTRIBUTE = 'owner';

/** Sees every hub: an admin, or the hub itself (no actor: seeds, the worker). */
const seesAll = (actor: Principal | undefined): boolean => !actor || hasPermission(actor, 'admin');

/**
 * Whether `actor` may see the hub at all. For anyone but an admin another principal's hub does not
 * exist (a 404, never a 403: ids and callbacks do not leak), nor does a hub made before owners were
 * recorded (it has none).
 */
export function sees(actor: Principal | undefined, hub: Resource): boolean {
  return seesAll(actor) || hub[OWNER_ATTRIBUTE] === actor!.name;
}

/** The clause keeping a hub list to the actor's own, filtered in the store; none for an admin. */
export function ownerClauses(actor: Principal | undefined): FilterClause[] {
  return seesAll(actor) ? [] : [{ path: [OWNER_ATTRIBUTE], op: 'eq', values: [actor!.name] }];
}

/** The fields to read of a hub so that `sees` can judge it: the asked ones and the owner (undefined: all of them). */
export function fieldsToJudge(actor: Principal | undefined, fields: readonly string[] | undefined): readonly string[] | undefined {
  return fields && !seesAll(actor) && !fields.includes(OWNER_ATTRIBUTE) ? [...fields, OWNER_ATTRIBUTE] : fields;
}

/**
 * A new hub's attributes as the client sent them, with the owner the hub assigns: the actor's name
 * (a client never chooses it, like id), none when the hub itself makes it (seeds).
 */
export function ownedInput(input: Record<string, unknown>, actor: Principal | undefined): Record<string, unknown> {
  const { [OWNER_ATTRIBUTE]: _ignored, ...attributes } = input;
  return actor ? { ...attributes, [OWNER_ATTRIBUTE]: actor.name } : attributes;
}

/** A hub read with fieldsToJudge, as the client asked for it: the owner dropped again when fields= left it out. */
export function asAsked(hub: Resource, fields: readonly string[] | undefined): Resource {
  if (!fields || fields.includes(OWNER_ATTRIBUTE) || !(OWNER_ATTRIBUTE in hub)) return hub;
  const { [OWNER_ATTRIBUTE]: _owner, ...shown } = hub;
  return shown as Resource;
}
