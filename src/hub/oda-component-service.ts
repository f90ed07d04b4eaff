import type { Principal } from '../access/principal';
import { NotFoundError, TmfError } from '../errors';
import { TOP_LEVEL, type Resource, type Stores } from '../store/store-types';
import type { HubService } from './hub-service';
import { OWNER_ATTRIBUTE } from './hub-ownership';
import { listAll } from './list-all';
import { parseOdaManifest, type OdaManifest } from './oda-manifest';
import { planOdaWiring, type HubView, type KeptTopic, type MadeHub, type MadeTopic, type OdaWiring, type OdaWiringPlan, type UnappliedEntry } from './plan-oda-wiring';
import { canonicalJson } from './schema-compatibility';
import type { TopicService } from './topic-service';

export const ODA_COMPONENT_TYPE = 'OdaComponent';

/** The owner of the hubs a component's manifest makes: no client can have it (client names have no ":"). */
export const odaOwner = (name: string): string => `odaComponent:${name}`;

/** What one apply (or delete) did, by entry name. */
export interface OdaChanges {
  topicsCreated: string[];
  topicsDeleted: string[];
  hubsCreated: string[];
  hubsDeleted: string[];
}

export interface OdaApplyResult {
  /** true when the component had no record before. */
  created: boolean;
  component: Resource;
  changes: OdaChanges;
}

/** Who applies, and the request's base URL and host (the topic notifications' hrefs, the CloudEvents handshake's origin). */
export interface OdaRequestContext {
  baseUrl: string;
  origin: string;
  actor?: Principal;
}

interface Deps {
  stores: Pick<Stores, 'odaComponents' | 'topics' | 'hubs'>;
  topics: TopicService;
  hubs: HubService;
  /** HUB_ODA_CALLBACK_BASE: where a subscribed entry's callback path is resolved. */
  callbackBase: string;
  now?: () => Date;
}

/** The record's wiring, with the keys a record stores it under. */
const wiringOf = (record: Resource | undefined): OdaWiring => ({
  published: (record?.publishedEvents as MadeTopic[] | undefined) ?? [],
  subscribed: (record?.subscribedEvents as MadeHub[] | undefined) ?? [],
  kept: (record?.keptTopics as KeptTopic[] | undefined) ?? [],
});

/**
 * ODA event wiring (docs/oda.md): a Component manifest's publishedEvents become topics (an existing
 * one of the name is reused, never deleted by the component) and its subscribedEvents hubs owned by
 * the component, through the topic and hub services (so topic notifications fire and the callback
 * guard runs). What it made is recorded in the `odaComponents` store, id the component's name; the
 * planning is pure (plan-oda-wiring.ts), this reads the hub, carries the plan out and records it.
 * Applies and deletes of one component run one at a time in this process.
 */
export class OdaComponentService {
  private readonly turns = new Map<string, Promise<unknown>>();
  private readonly now: () => Date;

  constructor(private readonly deps: Deps) {
    this.now = deps.now ?? (() => new Date());
  }

  apply(name: string, body: unknown, context: OdaRequestContext): Promise<OdaApplyResult> {
    // Parsed before waiting its turn: a bad manifest is refused at once and changes nothing.
    const manifest = parseOdaManifest(body, name);
    return this.oneAtATime(name, () => this.applyNow(manifest, context));
  }

  async get(name: string): Promise<Resource> {
    const record = await this.deps.stores.odaComponents.get(TOP_LEVEL, name);
    if (!record) throw new NotFoundError(`No ODA component named ${name} has been applied`);
    return record;
  }

  /** Removes what the component made (topics others still use stay, as on an apply) and its record. */
  delete(name: string, context: OdaRequestContext): Promise<OdaChanges> {
    return this.oneAtATime(name, async () => {
      const before = await this.get(name);
      const empty = { name, namespace: String(before.namespace), published: [], subscribed: [] };
      const { plan, changes, wiring, unapplied } = await this.prepare(empty, wiringOf(before));
      try {
        await this.execute(plan, wiring, unapplied, changes, context, name);
      } catch (err) {
        await this.save(before, { ...before, ...recordFields(wiring, unapplied) }).catch(() => undefined);
        throw err;
      }
      await this.deps.stores.odaComponents.delete(TOP_LEVEL, name);
      return changes;
    });
  }

  private async applyNow(manifest: OdaManifest, context: OdaRequestContext): Promise<OdaApplyResult> {
    const before = await this.deps.stores.odaComponents.get(TOP_LEVEL, manifest.name);
    const { plan, changes, wiring, unapplied } = await this.prepare(manifest, wiringOf(before));
    const at = this.now().toISOString();
    const generation = !before ? 1 : Number(before.generation) + (before.digest === manifest.digest ? 0 : 1);
    const record = (): Resource => ({
      id: manifest.name,
      name: manifest.name,
      namespace: manifest.namespace,
      digest: manifest.digest,
      generation,
      createdAt: before?.createdAt ?? at,
      updatedAt: at,
      ...recordFields(sortedLike(manifest, wiring), unapplied),
      '@type': ODA_COMPONENT_TYPE,
    });
    try {
      await this.execute(plan, wiring, unapplied, changes, context, manifest.name);
    } catch (err) {
      // What was made before the failure stays recorded, so that the next apply or a delete finds it.
      await this.save(before, record()).catch(() => undefined);
      throw err;
    }
    return { created: !before, component: await this.save(before, record()), changes };
  }

  /** The plan for `manifest`, and the state its execution starts from (and updates as it goes). */
  private async prepare(manifest: Pick<OdaManifest, 'name' | 'namespace' | 'published' | 'subscribed'>, made: OdaWiring) {
    const view = await this.view(manifest, made);
    const plan = planOdaWiring(manifest, made, view, this.deps.callbackBase);
    const wiring: OdaWiring = { published: [...plan.topicsKept, ...plan.topicsToDelete], subscribed: [...plan.hubsKept, ...plan.hubsToDelete], kept: plan.kept };
    const changes: OdaChanges = { topicsCreated: [], topicsDeleted: [], hubsCreated: [], hubsDeleted: [] };
    return { plan, changes, wiring, unapplied: [...plan.unapplied] };
  }

  /** Topics first (a hub may subscribe to one the plan creates), then deletions, then hubs; `wiring` follows each step. */
  private async execute(plan: OdaWiringPlan, wiring: OdaWiring, unapplied: UnappliedEntry[], changes: OdaChanges, context: OdaRequestContext, name: string): Promise<void> {
    const { topics, hubs } = this.deps;
    for (const topicName of plan.topicsToCreate) {
      const topic = await topics.create({ name: topicName }, context.baseUrl);
      wiring.published.push({ name: topicName, topicId: topic.id, origin: 'created' });
      changes.topicsCreated.push(topicName);
    }
    for (const hub of plan.hubsToDelete) {
      await hubs.remove(hub.topicId, hub.hubId);
      wiring.subscribed = wiring.subscribed.filter((h) => h.hubId !== hub.hubId);
      changes.hubsDeleted.push(hub.name);
    }
    for (const topic of plan.topicsToDelete) {
      await topics.delete(topic.topicId, context.baseUrl, context.actor).catch((err) => {
        if (!(err instanceof NotFoundError)) throw err;
      });
      wiring.published = wiring.published.filter((t) => t.topicId !== topic.topicId);
      changes.topicsDeleted.push(topic.name);
    }
    for (const wanted of plan.hubsToCreate) {
      const topicId = wanted.topicId ?? wiring.published.find((t) => t.name === wanted.name)!.topicId;
      const input = { callback: wanted.callback, ...(wanted.query === undefined ? {} : { query: wanted.query }) };
      try {
        const hub = await hubs.create(topicId, input, context.origin, context.actor, odaOwner(name));
        wiring.subscribed.push({ name: wanted.name, topicId, hubId: hub.id, ...input });
        changes.hubsCreated.push(wanted.name);
      } catch (err) {
        // A callback the guard refuses, a query that does not compile: the entry is reported, the rest applied.
        if (!(err instanceof TmfError) || err.status >= 500) throw err;
        unapplied.push({ section: 'subscribedEvents', name: wanted.name, reason: err.message });
      }
    }
  }

  /** The topics the plan may name or reuse, which of the component's hubs exist, and who else uses the topics it created. */
  private async view(manifest: Pick<OdaManifest, 'name' | 'published' | 'subscribed'>, made: OdaWiring): Promise<HubView> {
    const { stores } = this.deps;
    const found = new Map<string, { id: string; name?: unknown }>();
    const names = new Set([...manifest.published, ...manifest.subscribed].map((e) => e.name));
    for (const name of names) {
      const page = await stores.topics.list(TOP_LEVEL, { filter: [{ path: ['name'], op: 'eq', values: [name] }], offset: 0, limit: 1000, fields: ['name'] });
      for (const topic of page.items) found.set(topic.id, topic);
    }
    for (const { topicId } of [...made.published, ...made.subscribed, ...made.kept]) {
      if (found.has(topicId)) continue;
      const topic = await stores.topics.get(TOP_LEVEL, topicId, ['name']);
      if (topic) found.set(topic.id, topic);
    }
    const hubIds = new Set<string>();
    for (const hub of made.subscribed) if (await stores.hubs.get(hub.topicId, hub.hubId, ['id'])) hubIds.add(hub.hubId);
    return { topics: [...found.values()], hubIds, foreignUse: await this.foreignUse(manifest.name, made) };
  }

  /** For each topic the component created: why it must stay if the component lets it go. */
  private async foreignUse(name: string, made: OdaWiring): Promise<Map<string, string>> {
    const { stores } = this.deps;
    const uses = new Map<string, string>();
    const created = made.published.filter((t) => t.origin === 'created');
    if (!created.length) return uses;
    const others = (await listAll(stores.odaComponents, TOP_LEVEL)).filter((c) => c.id !== name);
    for (const { topicId } of created) {
      const foreignHubs = (await listAll(stores.hubs, topicId)).filter((hub) => hub[OWNER_ATTRIBUTE] !== odaOwner(name));
      const publisher = others.find((c) => wiringOf(c).published.some((t) => t.topicId === topicId));
      if (foreignHubs.length) uses.set(topicId, `kept: ${foreignHubs.length} hub(s) not made by this component are on it`);
      else if (publisher) uses.set(topicId, `kept: component ${publisher.id} publishes to it too`);
    }
    return uses;
  }

  /** Writes the record when it differs from the stored one (timestamps aside): an apply that changes nothing writes nothing. */
  private async save(before: Resource | undefined, record: Resource): Promise<Resource> {
    const { odaComponents } = this.deps.stores;
    if (!before) {
      await odaComponents.insert(TOP_LEVEL, record);
      return record;
    }
    const { createdAt: _c, updatedAt: _u, ...compared } = record;
    const { createdAt: _bc, updatedAt: _bu, ...was } = before;
    if (canonicalJson(compared) === canonicalJson(was)) return before;
    const { id: _id, ...set } = record;
    return (await odaComponents.update(TOP_LEVEL, record.id, set)) ?? record;
  }

  private async oneAtATime<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(name) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(work);
    this.turns.set(name, mine);
    try {
      return await mine;
    } finally {
      if (this.turns.get(name) === mine) this.turns.delete(name);
    }
  }
}

/** The record's attributes for a wiring: every list always there, empty or not, as GET shows them. */
function recordFields(wiring: OdaWiring, unapplied: UnappliedEntry[]): Record<string, unknown> {
  return { publishedEvents: wiring.published, subscribedEvents: wiring.subscribed, keptTopics: wiring.kept, unapplied };
}

/** The wiring in the manifest's order of entries (then by name), so that the same result is the same record. */
function sortedLike(manifest: Pick<OdaManifest, 'published' | 'subscribed'>, wiring: OdaWiring): OdaWiring {
  const order = (names: string[]) => (a: { name: string }, b: { name: string }) => rank(names, a.name) - rank(names, b.name) || a.name.localeCompare(b.name);
  return {
    published: [...wiring.published].sort(order(manifest.published.map((e) => e.name))),
    subscribed: [...wiring.subscribed].sort(order(manifest.subscribed.map((e) => e.name))),
    kept: [...wiring.kept].sort(order([])),
  };
}

const rank = (names: string[], name: string): number => {
  const at = names.indexOf(name);
  return at < 0 ? names.length : at;
};
