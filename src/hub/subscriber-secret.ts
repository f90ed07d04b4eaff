import type { Resource } from '../store/store-types';

/** The signing secret of a hub or listener registration: accepted on create, never shown again. */
export const SECRET_ATTRIBUTE = 'secret';

/** What a store must read of a hub to sign its deliveries. */
export const SECRET_FIELDS: readonly string[] = [SECRET_ATTRIBUTE];

/** The secrets a hub's deliveries are signed with, newest first. */
export function signingSecrets(hub: Resource): string[] {
  const secret = hub[SECRET_ATTRIBUTE];
  return typeof secret === 'string' && secret !== '' ? [secret] : [];
}

export function withoutSecret(resource: Resource): Resource {
  const { [SECRET_ATTRIBUTE]: _hidden, ...visible } = resource;
  return visible as Resource;
}
