import { randomUUID } from 'node:crypto';
import type { Resource } from '../store/store-types';

/**
 * Builds a resource from a create request: the server assigns `id`, `href` is computed on the way
 * out (so a client-sent one is dropped), `@type` defaults to the resource's TMF type, and every
 * other attribute, extensions included, is kept as sent.
 */
export function newResource(input: Record<string, unknown>, defaultType: string): Resource {
  const { id: _ignoredId, href: _ignoredHref, ...attributes } = input;
  return { id: randomUUID(), ...attributes, '@type': attributes['@type'] ?? defaultType };
}
