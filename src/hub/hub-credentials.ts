import { CREDENTIAL_ATTRIBUTES, hasCredentials, type ListenerCredentials } from '../credentials/listener-credentials';
import { readCredentials } from '../credentials/read-credentials';
import { shownCredentials } from '../credentials/shown-credentials';
import { BadRequestError } from '../errors';
import type { CallbackTargets } from './callback-targets';
import { SECRET_ATTRIBUTE, withCredentials } from './subscriber-secret';

const REASON = 'Invalid credentials';

/** The credential attributes an input sets (null removes one, and is not counted). */
const namedIn = (input: Readonly<Record<string, unknown>>) => CREDENTIAL_ATTRIBUTES.filter((name) => input[name] !== undefined && input[name] !== null);

/**
 * The credentials of a hub whose callback is `callback` once `input` is applied to `current`
 * (undefined: it requires none). Throws the 400 naming the field: a broker callback takes none, a
 * value that is not valid, a token endpoint the callback guard refuses (as it would a callback).
 */
export async function checkedCredentials(
  input: Readonly<Record<string, unknown>>,
  current: ListenerCredentials | undefined,
  callback: string,
  callbacks: Pick<CallbackTargets, 'creationRefusal' | 'isBroker'>,
  now: number,
): Promise<ListenerCredentials | undefined> {
  const named = namedIn(input);
  if (named.length && callbacks.isBroker(callback)) {
    const scheme = callback.slice(0, callback.indexOf(':'));
    throw new BadRequestError(
      `${named[0]}: a ${scheme}: callback is a broker destination, which takes no auth, tls or headers (they are what an HTTP listener requires of each request)`,
      REASON,
    );
  }
  const read = readCredentials(input, current, now);
  if (typeof read === 'string') throw new BadRequestError(read, REASON);
  if (read.auth?.type === 'oauth2' && named.includes('auth')) {
    // The token endpoint is connected to like a callback: the same guard, at creation and at every connection.
    const refused = await callbacks.creationRefusal(read.auth.tokenUrl);
    if (refused) throw new BadRequestError(`auth.tokenUrl: ${refused}`, REASON);
  }
  return hasCredentials(read) ? read : undefined;
}

/**
 * The attributes that store a hub's credentials: `secret`, with the credentials beside the signing
 * secrets of `storedSecret`, and `auth`, `tls` and `headers` as answers show them. An attribute
 * the credentials lack is undefined (removed by an update), or left out with `definedOnly`.
 */
export function credentialAttributes(storedSecret: unknown, credentials: ListenerCredentials | undefined, definedOnly = false): Record<string, unknown> {
  const attributes: Record<string, unknown> = { [SECRET_ATTRIBUTE]: withCredentials(storedSecret, credentials), ...shownCredentials(credentials) };
  return definedOnly ? Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) : attributes;
}

/** The input without the attributes credentials are read from: what is stored as sent. */
export function withoutCredentialInput(input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...input };
  for (const name of [...CREDENTIAL_ATTRIBUTES, SECRET_ATTRIBUTE]) delete rest[name];
  return rest;
}
