import type { Principal } from '../access/principal';
import type { Resource, ResourceStore } from '../store/store-types';
import { OWNER_ATTRIBUTE, sees } from './hub-ownership';

/**
 * The signing secret of a hub or listener registration: accepted on create and on rotation, never
 * shown again. Every secret of a hub lives under this one write-only attribute, so hiding it from
 * answers, projections and filters hides them all.
 */
export const SECRET_ATTRIBUTE = 'secret';

/** What a store must read of a hub to sign its deliveries or rotate its secret. */
export const SECRET_FIELDS: readonly string[] = [SECRET_ATTRIBUTE];

/** How a rotated secret is stored: the new one signs, and the previous one too until `previousUntil` (ms). */
export interface RotatedSecret {
  current: string;
  previous?: string;
  previousUntil?: number;
}

/** The stored secret as created (a string) or as rotated. */
function readSecret(stored: unknown): RotatedSecret | undefined {
  if (typeof stored === 'string') return stored === '' ? undefined : { current: stored };
  if (stored && typeof stored === 'object' && typeof (stored as RotatedSecret).current === 'string') return stored as RotatedSecret;
  return undefined;
}

/** The secrets a hub's deliveries are signed with at `now`, newest first. */
export function signingSecrets(hub: Resource, now: number): string[] {
  const secret = readSecret(hub[SECRET_ATTRIBUTE]);
  if (!secret) return [];
  const keepPrevious = secret.previous !== undefined && secret.previousUntil !== undefined && now < secret.previousUntil;
  return keepPrevious ? [secret.current, secret.previous as string] : [secret.current];
}

/**
 * The secret after a rotation to `next` at `now`: the current one keeps signing for `graceMs`. A
 * second rotation within the grace drops the oldest, so at most two secrets ever sign.
 */
export function rotateSecret(stored: unknown, next: string, now: number, graceMs: number): RotatedSecret {
  const before = readSecret(stored);
  if (!before || graceMs === 0 || before.current === next) return { current: next };
  return { current: next, previous: before.current, previousUntil: now + graceMs };
}

export function withoutSecret(resource: Resource): Resource {
  const { [SECRET_ATTRIBUTE]: _hidden, ...visible } = resource;
  return visible as Resource;
}

/** Rotation settings shared by topic hubs and listener registrations. */
export interface SecretRotationPolicy {
  /** How long the previous secret keeps signing (HUB_SECRET_ROTATION_GRACE). */
  graceMs: number;
  now: () => number;
}

/** Rotates the stored secret of one subscription; the subscription without its secret, undefined when absent (or not `actor`'s to see). */
export async function rotateStoredSecret(
  store: ResourceStore,
  scope: string,
  id: string,
  next: string,
  policy: SecretRotationPolicy,
  actor?: Principal,
): Promise<Resource | undefined> {
  const stored = await store.get(scope, id, [...SECRET_FIELDS, OWNER_ATTRIBUTE]);
  if (!stored || !sees(actor, stored)) return undefined;
  const updated = await store.update(scope, id, { [SECRET_ATTRIBUTE]: rotateSecret(stored[SECRET_ATTRIBUTE], next, policy.now(), policy.graceMs) });
  return updated && withoutSecret(updated);
}
