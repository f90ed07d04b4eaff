import { BadRequestError } from '../errors';
import { longerThan } from '../text/character-count';
import type { Resource } from '../store/store-types';

/**
 * A hub's `ordering` attribute (a tmf688-hub extension; the names are fixed): `{"key": "<attribute
 * path>"}` delivers the events with the same value at that path one at a time, in publish order;
 * `"hub"` makes all of the hub's deliveries one strict sequence.
 */
export const ORDERING_ATTRIBUTE = 'ordering';

/** Longest key path accepted; deeper paths are no use to a listener and only cost lookups. */
const MAX_PATH = 256;

/** A key path as the fan-out walks it, or 'hub' for one sequence; undefined when the hub is unordered. */
export type Ordering = { path: readonly string[] } | 'hub';

/** Why an `ordering` value is refused; undefined when it is valid (or absent). */
export function orderingRefusal(value: unknown): string | undefined {
  if (value === undefined || value === 'hub') return undefined;
  if (typeof value === 'string') return `ordering must be "hub" or {"key": "<attribute path>"}, not ${JSON.stringify(value)}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'ordering must be "hub" or {"key": "<attribute path>"}';
  const extra = Object.keys(value).filter((name) => name !== 'key');
  if (extra.length) return `ordering has no attribute ${JSON.stringify(extra[0])}: only "key"`;
  const key = (value as { key?: unknown }).key;
  if (typeof key !== 'string' || key === '') return 'ordering.key must be a non-empty attribute path, e.g. "event.productOrder.id"';
  if (longerThan(key, MAX_PATH)) return `ordering.key is longer than ${MAX_PATH} characters`;
  const segments = key.split('.');
  if (segments.some((segment) => segment === '')) return `ordering.key ${JSON.stringify(key)} has an empty segment`;
  if (segments.some((segment) => segment.startsWith('$'))) return `ordering.key ${JSON.stringify(key)} has a segment starting with $`;
  return undefined;
}

/** Throws the 400 for an invalid `ordering`, before anything is stored. */
export function assertOrdering(value: unknown): void {
  const refused = orderingRefusal(value);
  if (refused) throw new BadRequestError(refused, 'Invalid ordering');
}

/** The hub's ordering as the fan-out applies it (the value was checked when the hub was created). */
export function orderingOf(hub: Resource): Ordering | undefined {
  const value = hub[ORDERING_ATTRIBUTE];
  if (value === 'hub') return 'hub';
  const key = (value as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' && key !== '' ? { path: key.split('.') } : undefined;
}

/**
 * The ordering key of one notification for one hub: the hub's id for "hub"; for a key path, the
 * string, number or boolean found there, as a string. Undefined (the delivery goes unordered) when
 * the path is absent or leads to anything else (null, an object, an array).
 */
export function orderingKeyFor(ordering: Ordering, hubId: string, notification: Record<string, unknown>): string | undefined {
  if (ordering === 'hub') return hubId;
  let at: unknown = notification;
  for (const segment of ordering.path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.prototype.hasOwnProperty.call(at, segment)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return typeof at === 'string' || typeof at === 'number' || typeof at === 'boolean' ? String(at) : undefined;
}
