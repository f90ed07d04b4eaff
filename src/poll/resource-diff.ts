import { canonicalJson, stateDigest } from './state-digest';

/** A resource as a polled API returns it: keyed by its `id`. */
export type PolledResource = Record<string, unknown> & { id: string };

/**
 * Whether two states are the same resource state, attribute order aside: JSON.stringify first (native,
 * and what almost every unchanged resource answers alike), canonical JSON only when that differs.
 */
function sameState(a: PolledResource, b: PolledResource): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || canonicalJson(a) === canonicalJson(b);
}

export type ResourceChange =
  | { kind: 'create'; id: string; state: PolledResource; digest: string }
  | { kind: 'change'; id: string; previous: PolledResource; state: PolledResource; digest: string }
  | { kind: 'delete'; id: string; previous: PolledResource };

export interface ResourceDiff {
  /** Creates and changes in the order the API listed them, then deletes in the order they were known. */
  changes: ResourceChange[];
  /** Items that cannot be keyed (no string `id`), by their place in the list: left out, reported. */
  unkeyed: number[];
}

/**
 * What changed between the latest known states and a poll's items. An item with a known id whose
 * state differs (attribute order aside) is a change; an unknown id is a create; a known id absent from a `complete` read
 * (every page of a list) is a delete: an incomplete read never deletes. An id listed twice (a list
 * that shifted between pages) counts once, as last listed. Pure.
 */
export function diffResources(known: ReadonlyMap<string, PolledResource>, items: readonly unknown[], complete: boolean): ResourceDiff {
  const changes: ResourceChange[] = [];
  const unkeyed: number[] = [];
  const current = new Map<string, PolledResource>();
  items.forEach((item, index) => {
    const id = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>).id : undefined;
    if (typeof id !== 'string' || id === '') unkeyed.push(index);
    else {
      current.delete(id);
      current.set(id, item as PolledResource);
    }
  });
  for (const [id, state] of current) {
    const before = known.get(id);
    if (!before) changes.push({ kind: 'create', id, state, digest: stateDigest(state) });
    else if (!sameState(before, state)) changes.push({ kind: 'change', id, previous: before, state, digest: stateDigest(state) });
  }
  if (complete) {
    for (const [id, before] of known) if (!current.has(id)) changes.push({ kind: 'delete', id, previous: before });
  }
  return { changes, unkeyed };
}
