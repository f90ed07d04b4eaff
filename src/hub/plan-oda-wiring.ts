import { resolveOdaCallback } from './oda-callback';
import type { OdaManifest } from './oda-manifest';

/** A topic a component publishes to: one it created (deleted with it), or one that existed and is only reused. */
export interface MadeTopic {
  name: string;
  topicId: string;
  origin: 'created' | 'reused';
}

/** A hub a component's subscribed entry made, with what it was made from (a change of either makes it again). */
export interface MadeHub {
  name: string;
  topicId: string;
  hubId: string;
  callback: string;
  query?: string;
}

/** A topic the component created and no longer declares, left in place because others still use it; no longer the component's. */
export interface KeptTopic {
  name: string;
  topicId: string;
  reason: string;
}

export interface UnappliedEntry {
  section: 'publishedEvents' | 'subscribedEvents';
  name: string;
  reason: string;
}

/** What a component has made so far (its stored record). */
export interface OdaWiring {
  published: MadeTopic[];
  subscribed: MadeHub[];
  kept: KeptTopic[];
}

/** What the hub holds now, as far as the plan needs it. */
export interface HubView {
  /** The topics named by the manifest or made by the component that exist, in the order they were created. */
  topics: ReadonlyArray<{ id: string; name?: unknown }>;
  /** Which of the component's hubs still exist (a listener's 410 or an admin may have removed one). */
  hubIds: ReadonlySet<string>;
  /** Why a topic the component created is still used by others (hubs not its own, another component reusing it); absent: unused. */
  foreignUse: ReadonlyMap<string, string>;
}

/** A hub to make: on a topic that exists (`topicId`) or on the one this plan creates under `name`. */
export interface HubToCreate {
  name: string;
  topicId?: string;
  callback: string;
  query?: string;
}

export interface OdaWiringPlan {
  /** The published topics that stay as they are, and those that existed and are now reused. */
  topicsKept: MadeTopic[];
  topicsToCreate: string[];
  topicsToDelete: MadeTopic[];
  /** Topics it created that leave the manifest but stay, being used by others. */
  topicsHandedOver: KeptTopic[];
  hubsKept: MadeHub[];
  hubsToCreate: HubToCreate[];
  /** Hubs to delete; those already gone are only dropped from the record. */
  hubsToDelete: MadeHub[];
  /** What stays recorded of earlier hand-overs (those whose topic still exists and is not declared again). */
  kept: KeptTopic[];
  unapplied: UnappliedEntry[];
}

const duplicate = (section: UnappliedEntry['section'], name: string): UnappliedEntry => ({
  section,
  name,
  reason: `a second entry named ${JSON.stringify(name)}: an entry is identified by its name, and the first one is applied`,
});

/** The first entry of each name, and an unapplied record for every later one. */
function firstOfEachName<T extends { name: string }>(list: readonly T[], section: UnappliedEntry['section'], unapplied: UnappliedEntry[]): T[] {
  const seen = new Set<string>();
  return list.filter((entry) => {
    if (!seen.has(entry.name)) return seen.add(entry.name);
    unapplied.push(duplicate(section, entry.name));
    return false;
  });
}

/**
 * What applying `manifest` changes, given what the component made before (`made`) and what the hub
 * holds (`view`). Pure and deterministic: applying its result and planning the same manifest again
 * gives a plan with nothing to create or delete. An entry is identified by its name (the topic's);
 * a subscribed entry whose topic, callback or query changed is a hub deleted and made again.
 * `callbackBase` is HUB_ODA_CALLBACK_BASE. Deleting a component is planning its empty manifest.
 */
export function planOdaWiring(manifest: Pick<OdaManifest, 'name' | 'namespace' | 'published' | 'subscribed'>, made: OdaWiring, view: HubView, callbackBase: string): OdaWiringPlan {
  const unapplied: UnappliedEntry[] = [];
  const existing = new Set(view.topics.map((t) => t.id));
  const firstNamed = (name: string, excluded: ReadonlySet<string>) => view.topics.find((t) => t.name === name && !excluded.has(t.id))?.id;

  const published = firstOfEachName(manifest.published, 'publishedEvents', unapplied);
  const declared = new Set(published.map((e) => e.name));
  const madeByName = new Map(made.published.filter((t) => existing.has(t.topicId)).map((t) => [t.name, t]));
  const leaving = made.published.filter((t) => !declared.has(t.name) && existing.has(t.topicId));
  const topicsToDelete = leaving.filter((t) => t.origin === 'created' && !view.foreignUse.has(t.topicId));
  const topicsHandedOver = leaving
    .filter((t) => t.origin === 'created' && view.foreignUse.has(t.topicId))
    .map((t) => ({ name: t.name, topicId: t.topicId, reason: view.foreignUse.get(t.topicId)! }));
  const deleted = new Set(topicsToDelete.map((t) => t.topicId));

  const topicsKept: MadeTopic[] = [];
  const topicsToCreate: string[] = [];
  for (const { name } of published) {
    const before = madeByName.get(name);
    const reusable = before ? undefined : firstNamed(name, deleted);
    if (before) topicsKept.push(before);
    else if (reusable) topicsKept.push({ name, topicId: reusable, origin: 'reused' });
    else topicsToCreate.push(name);
  }
  const ownTopic = new Map(topicsKept.map((t) => [t.name, t.topicId]));

  const hubsKept: MadeHub[] = [];
  const hubsToCreate: HubToCreate[] = [];
  const madeHubs = new Map(made.subscribed.map((h) => [h.name, h]));
  for (const entry of firstOfEachName(manifest.subscribed, 'subscribedEvents', unapplied)) {
    const resolved = resolveOdaCallback(entry, manifest, callbackBase);
    if ('reason' in resolved) {
      unapplied.push({ section: 'subscribedEvents', name: entry.name, reason: resolved.reason });
      continue;
    }
    const creating = topicsToCreate.includes(entry.name);
    const topicId = ownTopic.get(entry.name) ?? (creating ? undefined : firstNamed(entry.name, deleted));
    if (!topicId && !creating) {
      unapplied.push({ section: 'subscribedEvents', name: entry.name, reason: `no topic named ${JSON.stringify(entry.name)}: applying the manifest again once it exists makes the hub` });
      continue;
    }
    const wanted: HubToCreate = { name: entry.name, ...(topicId ? { topicId } : {}), callback: resolved.url, ...(entry.query === undefined ? {} : { query: entry.query }) };
    const before = madeHubs.get(entry.name);
    const same = before && view.hubIds.has(before.hubId) && before.topicId === topicId && before.callback === wanted.callback && before.query === wanted.query;
    if (same) hubsKept.push(before);
    else hubsToCreate.push(wanted);
  }
  const keptHubIds = new Set(hubsKept.map((h) => h.hubId));
  // Hubs on a topic this plan deletes go with it; the others are deleted one by one.
  const hubsToDelete = made.subscribed.filter((h) => !keptHubIds.has(h.hubId) && view.hubIds.has(h.hubId) && !deleted.has(h.topicId));

  const kept = [...made.kept.filter((k) => existing.has(k.topicId) && !declared.has(k.name)), ...topicsHandedOver];
  return { topicsKept, topicsToCreate, topicsToDelete, topicsHandedOver, hubsKept, hubsToCreate, hubsToDelete, kept, unapplied };
}

/** Whether a plan changes nothing in the hub (re-applying the same manifest). */
export const changesNothing = (plan: OdaWiringPlan): boolean =>
  plan.topicsToCreate.length + plan.topicsToDelete.length + plan.hubsToCreate.length + plan.hubsToDelete.length === 0;
