import { ConflictError } from '../errors';
import type { Services } from '../hub/create-services';
import type { FilterClause } from '../query/filter-clause';
import { HUB_URL_PLACEHOLDER, SeedFileError, type SeedFile } from './seed-file';

export interface SeedCounts {
  created: number;
  existing: number;
}

export interface SeedResult {
  /** Event schema versions: created, or already the latest ("existing"). */
  schemas: SeedCounts;
  topics: SeedCounts;
  hubs: SeedCounts;
  events: SeedCounts;
}

export interface SeedUrls {
  /** Replaces {hubUrl} in hub callbacks: the hub's own address, so seeded hubs deliver to its inbox. */
  hubUrl: string;
  /** The API base the hrefs of delivered events are written with, e.g. http://127.0.0.1:8080/tmf-api/event/v4. */
  baseUrl: string;
}

type SeedServices = Pick<Services, 'topics' | 'hubs' | 'events' | 'schemas'>;

const FIRST_PAGE = { offset: 0, limit: 1000 };

/**
 * Loads seed files through the services, as API clients would, so that hub queries, callback checks,
 * schema validation and the delivery outbox all apply. Idempotent: a topic is reused when one with the same `name`
 * exists, a hub is skipped when its topic already has one with the same callback and query, and an
 * event is skipped when its `eventId` is taken in the topic. Schemas first, then topics, hubs and events,
 * so that the events fan out to the seeded hubs. A failure is a SeedFileError naming the file and
 * the item.
 */
export async function loadSeeds(services: SeedServices, seeds: readonly SeedFile[], urls: SeedUrls): Promise<SeedResult> {
  const result: SeedResult = { schemas: counts(), topics: counts(), hubs: counts(), events: counts() };
  const topicIds = new Map<string, string>();

  // Schemas first: the seeded topics validate their events against them.
  for (const seed of seeds) {
    for (const [i, { path, text }] of seed.schemas.entries()) {
      await step(seed, `schemas[${i}] (${path})`, async () => {
        const imported = await services.schemas.import(text);
        if (imported.refused.length) {
          throw new Error(`refused: ${imported.refused.map((r) => `${r.eventType}: ${r.reason}`).join('; ')}`);
        }
        result.schemas.created += imported.created.length;
        result.schemas.existing += imported.unchanged.length;
      });
    }
  }

  for (const seed of seeds) {
    for (const [i, topic] of seed.topics.entries()) {
      await step(seed, `topics[${i}]`, async () => {
        if (topicIds.has(topic.name)) return void result.topics.existing++;
        const found = await services.topics.list({ filter: [equals('name', topic.name)], ...FIRST_PAGE, limit: 1 });
        const id = found.items[0]?.id ?? (await services.topics.create(topic, urls.baseUrl)).id;
        result.topics[found.items[0] ? 'existing' : 'created']++;
        topicIds.set(topic.name, id);
      });
    }
  }

  for (const seed of seeds) {
    for (const [i, { topic, ...hub }] of seed.hubs.entries()) {
      await step(seed, `hubs[${i}]`, async () => {
        const topicId = topicIds.get(topic)!;
        const callback = hub.callback.split(HUB_URL_PLACEHOLDER).join(urls.hubUrl.replace(/\/+$/, ''));
        const sameCallback = await services.hubs.list(topicId, { filter: [equals('callback', callback)], ...FIRST_PAGE });
        if (sameCallback.items.some((h) => (h.query ?? '') === (hub.query ?? ''))) return void result.hubs.existing++;
        await services.hubs.create(topicId, { ...hub, callback }, new URL(urls.baseUrl).hostname);
        result.hubs.created++;
      });
    }
  }

  for (const seed of seeds) {
    for (const [i, { topic, ...event }] of seed.events.entries()) {
      await step(seed, `events[${i}]`, async () => {
        try {
          await services.events.publish(topicIds.get(topic)!, event, urls.baseUrl);
          result.events.created++;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          result.events.existing++;
        }
      });
    }
  }
  return result;
}

/** Total created and existing over every kind, e.g. to say "nothing new". */
export function seedTotals(result: SeedResult): SeedCounts {
  const kinds = [result.schemas, result.topics, result.hubs, result.events];
  return { created: kinds.reduce((n, k) => n + k.created, 0), existing: kinds.reduce((n, k) => n + k.existing, 0) };
}

async function step(seed: SeedFile, where: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    throw new SeedFileError(seed.file, `${where} could not be loaded: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function equals(attribute: string, value: string): FilterClause {
  return { path: [attribute], op: 'eq', values: [value] };
}

function counts(): SeedCounts {
  return { created: 0, existing: 0 };
}
