import type { Resource } from '../store/store-types';
import { BadRequestError } from '../errors';
import type { FilterClause } from '../query/filter-clause';

/** The signing secret of a hub or listener registration: accepted on create, never shown again. */
export const SECRET_ATTRIBUTE = 'secret';

export function withoutSecret(resource: Resource): Resource {
  const { [SECRET_ATTRIBUTE]: _hidden, ...visible } = resource;
  return visible as Resource;
}

/** A filter on the secret would let a client test guesses against it. */
export function refuseSecretFilter(clauses: readonly FilterClause[]): void {
  if (clauses.some((c) => c.path[0] === SECRET_ATTRIBUTE)) {
    throw new BadRequestError('secret cannot be used in a filter', 'Invalid query');
  }
}
