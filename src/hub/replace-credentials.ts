import type { Principal } from '../access/principal';
import { CREDENTIAL_ATTRIBUTES } from '../credentials/listener-credentials';
import { BadRequestError } from '../errors';
import type { Resource, ResourceStore } from '../store/store-types';
import { checkedCredentials, credentialAttributes } from './hub-credentials';
import { OWNER_ATTRIBUTE, sees } from './hub-ownership';
import { credentialsOf, SECRET_ATTRIBUTE, withoutSecret } from './subscriber-secret';
import type { SubscriptionChecks } from './validate-subscription';

/**
 * The change a POST .../credentials body asks for, as readCredentials takes it (null removes), or
 * why it is refused: it names nothing, or removes what it also sets.
 */
export function credentialsChange(body: Readonly<Record<string, unknown>>): Record<string, unknown> | string {
  const remove = Array.isArray(body.remove) ? (body.remove as unknown[]) : [];
  const change: Record<string, unknown> = {};
  for (const name of CREDENTIAL_ATTRIBUTES) {
    if (remove.includes(name) && body[name] !== undefined) return `remove: ${name} is also given: set it or remove it`;
    if (remove.includes(name)) change[name] = null;
    else if (body[name] !== undefined) change[name] = body[name];
  }
  return Object.keys(change).length ? change : 'Name at least one of auth, tls and headers, to set or to remove';
}

/**
 * POST .../hub/{hubId}/credentials: each of `auth`, `tls` and `headers` the body names replaces
 * the hub's (`remove` lists those to drop), the others and the signing secrets stay. The hub as
 * answers show it; undefined when absent (or not `actor`'s to see). The next attempt reads the new
 * credentials.
 */
export async function replaceStoredCredentials(
  store: ResourceStore,
  scope: string,
  id: string,
  input: Readonly<Record<string, unknown>>,
  checks: SubscriptionChecks,
  actor?: Principal,
): Promise<Resource | undefined> {
  const stored = await store.get(scope, id, [SECRET_ATTRIBUTE, OWNER_ATTRIBUTE, 'callback']);
  if (!stored || !sees(actor, stored)) return undefined;
  const change = credentialsChange(input);
  if (typeof change === 'string') throw new BadRequestError(change, 'Invalid credentials');
  const credentials = await checkedCredentials(change, credentialsOf(stored), String(stored.callback), checks.callbacks, (checks.now ?? Date.now)());
  const updated = await store.update(scope, id, credentialAttributes(stored[SECRET_ATTRIBUTE], credentials));
  if (!updated) return undefined;
  checks.credentialsChanged?.(id, credentials);
  return withoutSecret(updated);
}
