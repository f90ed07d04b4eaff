import type { Resource } from '../store/store-types';

/** What a published event says of its resource's latest state: replaced by `state`, or deleted. */
export type StateChange = { put: Resource } | { delete: string };

/**
 * What an event published to a topic with `"keepState": true` does to the latest states: its payload
 * `event.<type>` (one object) with a string `id` is the resource's new state, unless the eventType
 * ends in DeleteEvent (the resource is gone). An event whose payload names no resource changes
 * nothing (undefined). Pure.
 */
export function keptState(event: Readonly<Record<string, unknown>>): StateChange | undefined {
  const payload = event.event;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const values = Object.values(payload as Record<string, unknown>);
  if (values.length !== 1) return undefined;
  const resource = values[0];
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return undefined;
  const id = (resource as Record<string, unknown>).id;
  if (typeof id !== 'string' || id === '') return undefined;
  return typeof event.eventType === 'string' && event.eventType.endsWith('DeleteEvent') ? { delete: id } : { put: resource as Resource };
}
