import type { Principal } from '../access/principal';
import { hasCredentials, type ListenerCredentials } from '../credentials/listener-credentials';
import type { Resource, ResourceStore } from '../store/store-types';
import { OWNER_ATTRIBUTE, sees } from './hub-ownership';

/**
 * The signing secret of a hub or listener registration: accepted on create and on rotation, never
 * shown again. Every secret of a hub lives under this one write-only attribute, so hiding it from
 * answers, projections and filters hides them all: the signing secrets, and the credentials a
 * listener requires (auth, client certificate, headers; the hub shows only their safe view).
 */
export const SECRET_ATTRIBUTE = 'secret';

/** What a store must read of a hub to sign its deliveries or rotate its secret. */
export const SECRET_FIELDS: readonly string[] = [SECRET_ATTRIBUTE];

/**
 * How the secrets are stored once rotated or joined by credentials: the current signing secret
 * (none: unsigned), the previous one until `previousUntil` (ms), and the listener's credentials.
 * A hub created with a signing secret alone keeps it as a plain string.
 */
export interface StoredSecret {
  current?: string;
  previous?: string;
  previousUntil?: number;
  credentials?: ListenerCredentials;
}

/** The stored secret as created (a string, or absent) or as rotated and joined by credentials. */
function readSecret(stored: unknown): StoredSecret {
  if (typeof stored === 'string') return stored === '' ? {} : { current: stored };
  if (stored && typeof stored === 'object') return stored as StoredSecret;
  return {};
}

/** The secrets a hub's deliveries are signed with at `now`, newest first. */
export function signingSecrets(hub: Resource, now: number): string[] {
  const secret = readSecret(hub[SECRET_ATTRIBUTE]);
  if (typeof secret.current !== 'string') return [];
  const keepPrevious = secret.previous !== undefined && secret.previousUntil !== undefined && now < secret.previousUntil;
  return keepPrevious ? [secret.current, secret.previous as string] : [secret.current];
}

/** The credentials the hub's listener requires; undefined when it requires none. */
export function credentialsOf(hub: Resource): ListenerCredentials | undefined {
  return readSecret(hub[SECRET_ATTRIBUTE]).credentials;
}

/**
 * The secret after a rotation to `next` at `now`: the current one keeps signing for `graceMs`. A
 * second rotation within the grace drops the oldest, so at most two secrets ever sign. The
 * credentials stay as they are.
 */
export function rotateSecret(stored: unknown, next: string, now: number, graceMs: number): StoredSecret {
  const { current, credentials } = readSecret(stored);
  const kept = credentials ? { credentials } : {};
  if (current === undefined || graceMs === 0 || current === next) return { current: next, ...kept };
  return { current: next, previous: current, previousUntil: now + graceMs, ...kept };
}

/**
 * The secret with `credentials` in place of those it had, the signing secrets untouched: a plain
 * string again when only a signing secret is left, undefined when nothing is.
 */
export function withCredentials(stored: unknown, credentials: ListenerCredentials | undefined): StoredSecret | string | undefined {
  const { credentials: _replaced, ...signing } = readSecret(stored);
  if (hasCredentials(credentials)) return { ...signing, credentials };
  if (signing.previous === undefined && signing.current !== undefined) return signing.current;
  return signing.current === undefined ? undefined : signing;
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
