import { BadRequestError } from './errors';
import { parseFilterString } from './query/parse-filter';

/** Rejects a hub `query` that does not parse, so a subscriber learns at once rather than never matching. */
export function validateHubQuery(query: unknown): void {
  if (typeof query !== 'string') return;
  try {
    parseFilterString(query, new Set(['fields']));
  } catch (err) {
    throw new BadRequestError(`query: ${(err as Error).message}`, 'Invalid query');
  }
}
