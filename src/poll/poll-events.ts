import { createHash } from 'node:crypto';
import { fieldPath, jsonPatch } from './json-patch';
import type { PolledResource, ResourceChange } from './resource-diff';

/** The attributes whose change is a state change (TMF resources name it `state`, some `status`). */
export const STATE_ATTRIBUTES = ['state', 'status'] as const;

/** What every event of one poll shares. */
export interface PollContext {
  /** The polled URL, as the topic's source names it: part of every eventId. */
  url: string;
  /** The source's resourceType; without one each resource's `@type` names its events. */
  resourceType?: string;
  /**
   * The poll's generation: how many polls of the topic stored a change before it. Part of every
   * eventId, so that a resource that changes back to an earlier state is a new event, while the same
   * poll run again (a restart before the states were stored, another process) derives the same ids.
   */
  generation: number;
  /** When the poll read the resources: every event's eventTime. */
  now: Date;
}

export interface PollEvents {
  /** The TMF events to publish, in order: per change, its main event then its StateChangeEvent. */
  events: Array<Record<string, unknown>>;
  /** Resources whose events cannot be named (no resourceType and no `@type`), as reasons. */
  unnamed: string[];
}

/** `ProductOrder` -> `productOrder`: how a TMF event payload names its resource. Pure. */
export const payloadName = (type: string): string => type.charAt(0).toLowerCase() + type.slice(1);

/** The first 64 bits of the URL's SHA-256, hex: a short, stable stand-in for it in eventIds. */
const urlDigest = (url: string): string => createHash('sha256').update(url).digest('hex').slice(0, 16);

/**
 * A polled event's id: `poll:<url digest>:<resource id>:<generation>:<suffix>` where the suffix is
 * the new state's digest (`<digest>` for the main event, `<digest>:state` for a StateChangeEvent)
 * or `deleted`. The same for every run of the same poll, so the source ingest's eventId uniqueness
 * refuses a second publication of it. Pure.
 */
export function pollEventId(url: string, resourceId: string, generation: number, suffix: string): string {
  return `poll:${urlDigest(url)}:${resourceId}:${generation}:${suffix}`;
}

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9]*$/;

function resourceTypeOf(state: PolledResource, configured: string | undefined): string | undefined {
  if (configured) return configured;
  const type = state['@type'];
  return typeof type === 'string' && TYPE_PATTERN.test(type) ? type : undefined;
}

/** Which of `state` and `status` differ between two states. */
const changedStateAttributes = (previous: PolledResource, state: PolledResource): string[] =>
  STATE_ATTRIBUTES.filter((name) => JSON.stringify(previous[name]) !== JSON.stringify(state[name]));

/**
 * The TMF events of a poll's changes: `<Type>CreateEvent` for a new resource;
 * `<Type>AttributeValueChangeEvent` for a changed one, with `fieldPath` (the changed first-level
 * attributes) and the extension attribute `patch` (RFC 6902, from the old state to the new), followed
 * by a `<Type>StateChangeEvent` when its `state` or `status` changed; `<Type>DeleteEvent` with the
 * last known state for a resource gone. Each carries the resource as `event.<type>`. Pure.
 */
export function pollEvents(changes: readonly ResourceChange[], context: PollContext): PollEvents {
  const events: Array<Record<string, unknown>> = [];
  const unnamed: string[] = [];
  const eventTime = context.now.toISOString();
  for (const change of changes) {
    const state = change.kind === 'delete' ? change.previous : change.state;
    const type = resourceTypeOf(state, context.resourceType);
    if (!type) {
      unnamed.push(`resource ${change.id} has no @type naming its events (and the source no resourceType)`);
      continue;
    }
    const event = (suffix: string, eventType: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      eventId: pollEventId(context.url, change.id, context.generation, suffix),
      eventTime,
      eventType: `${type}${eventType}`,
      ...extra,
      event: { [payloadName(type)]: state },
    });
    if (change.kind === 'create') events.push(event(change.digest, 'CreateEvent'));
    else if (change.kind === 'delete') events.push(event('deleted', 'DeleteEvent'));
    else {
      const patch = jsonPatch(change.previous, change.state);
      events.push(event(change.digest, 'AttributeValueChangeEvent', { fieldPath: fieldPath(patch), patch }));
      const states = changedStateAttributes(change.previous, change.state);
      if (states.length) events.push(event(`${change.digest}:state`, 'StateChangeEvent', { fieldPath: states.join(',') }));
    }
  }
  return { events, unnamed };
}
