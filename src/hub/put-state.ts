import { DuplicateKeyError } from '../store/store-errors';
import type { Resource, ResourceStore } from '../store/store-types';

/** The attributes an update sets so that the stored state becomes `next` exactly: those gone are removed. */
const replacement = (previous: Resource | undefined, next: Resource): Record<string, unknown> => ({
  ...Object.fromEntries(Object.keys(previous ?? {}).map((name) => [name, undefined])),
  ...next,
});

/**
 * Stores `state` as the latest state of its resource in the topic, replacing the one there
 * (`previous`, when the caller knows it). A state another process stored first is replaced too.
 */
export async function putState(states: ResourceStore, topicId: string, state: Resource, now: number, previous?: Resource): Promise<void> {
  if (previous && (await states.update(topicId, state.id, replacement(previous, state)))) return;
  try {
    await states.insert(topicId, state, now);
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const stored = await states.get(topicId, state.id);
    await states.update(topicId, state.id, replacement(stored, state));
  }
}

/**
 * Stores `state` as a new write, stored now: what a keepState topic does for each published event,
 * so that HUB_EVENT_RETENTION counts a state from its last change (deleteKeptBefore).
 */
export async function renewState(states: ResourceStore, topicId: string, state: Resource, now: number): Promise<void> {
  await states.delete(topicId, state.id);
  await putState(states, topicId, state, now);
}
