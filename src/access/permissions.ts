import type { Principal, Role } from './principal';
import { inTopicScope } from './topic-scope';

/**
 * What the roles grant, as a small closed set the HTTP layer maps each operation to:
 * - topic:read: list and retrieve topics, events and schemas; open the event stream.
 * - event:publish: publish events.
 * - hub:manage: create, list and delete its own hubs and registrations, and everything under them
 *   (deliveries, redeliver, replay, secret rotation, stats).
 * - admin: everything else (topics and schemas written, every hub, inboxes, the audit trail).
 */
export const PERMISSIONS = ['topic:read', 'event:publish', 'hub:manage', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  reader: ['topic:read'],
  publisher: ['topic:read', 'event:publish'],
  subscriber: ['topic:read', 'hub:manage'],
  admin: PERMISSIONS,
};

export const grantsOf = (role: Role): readonly Permission[] => GRANTS[role];

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((role) => GRANTS[role].includes(permission));
}

/** Why a principal may not do something: the permission a 403 names, and a message that says it. */
export interface Denial {
  permission: Permission;
  /** The topic out of the principal's scopes, when that is the reason. */
  topic?: string;
  message: string;
}

/**
 * Undefined when the principal holds `permission` (and, with a topic, has the topic's name in its
 * scopes), else what to refuse with. Scopes bind every role, admin included: a scoped entry fails
 * closed (and a clients file refuses scopes on an admin entry, where they would surprise).
 * `topic` is the topic's name; null for a topic that has none (in no scope).
 */
export function denial(principal: Principal, permission: Permission, topic?: string | null): Denial | undefined {
  if (!hasPermission(principal, permission)) {
    return { permission, message: `The client ${principal.name} lacks the permission ${permission}` };
  }
  if (topic === undefined || inTopicScope(principal.topics, topic ?? undefined)) return undefined;
  const shown = topic === null ? 'a topic without a name' : `topic ${JSON.stringify(topic)}`;
  return { permission, topic: topic ?? undefined, message: `The client ${principal.name} lacks the permission ${permission} on ${shown}: it is not in the client's topic scopes` };
}
