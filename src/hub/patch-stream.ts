import { jsonPatch, type PatchOperation } from '../poll/json-patch';
import type { Resource } from '../store/store-types';
import { keptState } from './kept-state';

/** A `mode=patch` stream's first messages: one per resource, its latest state. */
export interface SnapshotMessage {
  resourceId: string;
  state: Resource;
}

/**
 * A `mode=patch` stream's message per change: the RFC 6902 operations that turn the resource as the
 * client holds it into its new state. A new resource is `add` of the whole document (path ""), a
 * deleted one `remove` of it.
 */
export interface PatchMessage {
  resourceId: string;
  eventId: string;
  eventType: string;
  patch: PatchOperation[];
}

const whole = (state: Resource): PatchOperation[] => [{ op: 'add', path: '', value: state }];
const REMOVED: PatchOperation[] = [{ op: 'remove', path: '' }];

const header = (event: Readonly<Record<string, unknown>>, resourceId: string) => ({
  resourceId,
  eventId: String(event.eventId),
  eventType: String(event.eventType),
});

/**
 * The patch message of an event for a client that holds `view` (what it was sent: the snapshot and
 * every patch since), which it updates: the diff from the resource as the client holds it to the
 * event's state, so an event whose change the snapshot already held (it was read while the event was
 * being published) sends nothing. Events that carry no resource (`event.<type>` with an id) send
 * nothing. Pure but for `view`.
 */
export function viewPatch(view: Map<string, Resource>, event: Readonly<Record<string, unknown>>): PatchMessage | undefined {
  const change = keptState(event);
  if (!change) return undefined;
  if ('delete' in change) {
    if (!view.delete(change.delete)) return undefined;
    return { ...header(event, change.delete), patch: REMOVED };
  }
  const held = view.get(change.put.id);
  const patch = held ? jsonPatch(held, change.put) : whole(change.put);
  view.set(change.put.id, change.put);
  return patch.length ? { ...header(event, change.put.id), patch } : undefined;
}

/**
 * The patch message of an event for a client resuming with Last-Event-ID (its view is its own): the
 * event's own `patch` (a poll source's AttributeValueChangeEvent), `add` of the whole resource for a
 * create, `remove` of it for a delete, else `replace` of the whole document. Pure.
 */
export function eventPatch(event: Readonly<Record<string, unknown>>): PatchMessage | undefined {
  const change = keptState(event);
  if (!change) return undefined;
  if ('delete' in change) return { ...header(event, change.delete), patch: REMOVED };
  const eventType = String(event.eventType);
  if (Array.isArray(event.patch)) return { ...header(event, change.put.id), patch: event.patch as PatchOperation[] };
  const patch = eventType.endsWith('CreateEvent') ? whole(change.put) : [{ op: 'replace' as const, path: '', value: change.put }];
  return { ...header(event, change.put.id), patch };
}
