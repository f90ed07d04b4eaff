import type { Services } from '../../src/hub/create-services';
import { buildTestApp } from '../helpers/test-app';
import { loadSeeds, seedTotals, type SeedResult } from '../../src/seed/load-seeds';
import { readSeeds } from '../../src/seed/read-seeds';
import { SeedFileError, type SeedFile } from '../../src/seed/seed-file';
import { seedUrls } from '../../src/seed/seed-urls';
import type { Resource, Stores } from '../../src/store/store-types';
import { createTestStores } from '../helpers/test-stores';
import { parseApiDocument, resolveTmfEvents } from '../../src/hub/resolve-tmf-events';
import { compileEventSchema } from '../../src/hub/compile-event-schema';

const URLS = { hubUrl: 'http://127.0.0.1:8080', baseUrl: 'http://127.0.0.1:8080/tmf-api/event/v4' };
const ALL = { filter: [], offset: 0, limit: 1000 };

const SEEDS = readSeeds();
/** Every notification schema of the seeds' API documents, by event type (read from the documents, not listed here). */
const SEED_SCHEMAS = new Map(SEEDS.flatMap((s) => s.schemas).flatMap(({ text }) => resolveTmfEvents(parseApiDocument(text)).events.map((e) => [e.eventType, e.schema])));
const expected = {
  schemas: SEED_SCHEMAS.size,
  topics: SEEDS.reduce((n, s) => n + s.topics.length, 0),
  hubs: SEEDS.reduce((n, s) => n + s.hubs.length, 0),
  events: SEEDS.reduce((n, s) => n + s.events.length, 0),
};

describe('loadSeeds', () => {
  let stores: Stores;
  let services: Services;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ stores, cleanup } = await createTestStores());
    services = (await buildTestApp({ stores })).services;
  });
  afterEach(() => cleanup());

  async function topicNamed(name: string): Promise<Resource> {
    const topics = (await stores.topics.list('', ALL)).items.filter((t) => t.name === name);
    expect(topics).toHaveLength(1);
    return topics[0];
  }

  async function hubWithCallback(topicId: string, callback: string): Promise<Resource> {
    const hub = (await stores.hubs.list(topicId, ALL)).items.find((h) => h.callback === callback);
    if (!hub) throw new Error(`no hub with callback ${callback} in topic ${topicId}`);
    return hub;
  }

  async function deliveredEventIds(hubId: string): Promise<string[]> {
    return (await stores.deliveries.list(hubId, ALL)).items.map((d) => d.eventId).sort();
  }

  async function storedCounts(): Promise<Record<keyof SeedResult, number>> {
    const topics = (await stores.topics.list('', ALL)).items;
    let hubs = 0;
    let events = 0;
    for (const t of topics) {
      hubs += (await stores.hubs.list(t.id, ALL)).total;
      events += (await stores.events.list(t.id, ALL)).total;
    }
    return { schemas: (await stores.schemas.list('', ALL)).total, topics: topics.length, hubs, events };
  }

  it('should create every topic, hub and event of the shipped seeds, and nothing when loaded again', async () => {
    expect(expected.topics).toBeGreaterThanOrEqual(3);

    const first = await loadSeeds(services, SEEDS, URLS);
    expect(first).toEqual({
      schemas: { created: expected.schemas, existing: 0 },
      topics: { created: expected.topics, existing: 0 },
      hubs: { created: expected.hubs, existing: 0 },
      events: { created: expected.events, existing: 0 },
    });
    expect(await storedCounts()).toEqual(expected);

    const second = await loadSeeds(services, SEEDS, URLS);
    expect(second).toEqual({
      schemas: { created: 0, existing: expected.schemas },
      topics: { created: 0, existing: expected.topics },
      hubs: { created: 0, existing: expected.hubs },
      events: { created: 0, existing: expected.events },
    });
    expect(seedTotals(second).created).toBe(0);
    expect(await storedCounts()).toEqual(expected);
  });

  it('should register the schemas of every seeded event type and enforce them on every seeded topic', async () => {
    await loadSeeds(services, SEEDS, URLS);
    const seededTypes = new Set(SEEDS.flatMap((s) => s.events.map((e) => e.eventType)));
    for (const eventType of seededTypes) {
      await expect(services.schemas.get(eventType, 'latest')).resolves.toMatchObject({ eventType, version: 1 });
    }
    for (const topic of SEEDS.flatMap((s) => s.topics)) expect((await topicNamed(topic.name)).schemaValidation).toBe('enforce');
  });

  it.each(SEEDS.flatMap((s) => s.events.map((e) => [e.eventId, e] as const)))('seeded event %s conforms to the official schema of its type', (_id, seeded) => {
    const { topic: _topic, ...event } = seeded;
    const schema = SEED_SCHEMAS.get(event.eventType);
    expect(schema).toBeDefined();
    expect(compileEventSchema(schema!)(event)).toBeUndefined();
  });

  it('should fail naming the file and the event when a seeded event does not conform to an enforced schema', async () => {
    const alarmSeed = SEEDS.find((s) => s.topics.some((t) => t.name === 'alarm'))!;
    const [first] = alarmSeed.events;
    const broken: SeedFile = { ...alarmSeed, events: [{ ...first, event: { alarm: { ...(first.event as { alarm: object }).alarm, perceivedSeverity: 'catastrophic' } } }] };
    const err = await loadSeeds(services, [broken], URLS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeedFileError);
    expect((err as Error).message).toMatch(/events\[0\] could not be loaded: .*\$\.event\.alarm\.perceivedSeverity must be one of .* \(enum\)/);
    expect((await stores.events.list((await topicNamed('alarm')).id, ALL)).total).toBe(0);
  });

  it('should fail naming the file and the document when a seeded schema is refused', async () => {
    const seed = { ...tinySeed({}), schemas: [{ path: 'schemas/none.json', text: '{"swagger":"2.0","info":{"title":"x"}}' }] };
    const err = await loadSeeds(services, [seed], URLS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeedFileError);
    expect((err as Error).message).toContain('schemas[0] (schemas/none.json) could not be loaded: The document is neither a Swagger 2.0');
  });

  it('should write the hub URL into the callbacks and the base URL into the delivered hrefs', async () => {
    await loadSeeds(services, SEEDS, URLS);
    const alarm = await topicNamed('alarm');
    const hubs = (await stores.hubs.list(alarm.id, ALL)).items;
    expect(hubs.map((h) => h.callback).sort()).toEqual([
      'http://127.0.0.1:8080/tmf-api/event/v4/inbox/alarm',
      'http://127.0.0.1:8080/tmf-api/event/v4/inbox/alarm-critical',
    ]);
    const [delivery] = (await stores.deliveries.list(hubs[0].id, { ...ALL, limit: 1 })).items;
    const body = JSON.parse(delivery.payload) as Record<string, unknown>;
    expect(body.href).toBe(`${URLS.baseUrl}/topic/${alarm.id}/event/${body.id}`);
  });

  it('should deliver to a hub with a query only the events that match it', async () => {
    await loadSeeds(services, SEEDS, URLS);
    const alarmSeeds = SEEDS.flatMap((s) => s.events).filter((e) => e.topic === 'alarm');
    const critical = alarmSeeds.filter((e) => (e.event as { alarm: { perceivedSeverity: string } }).alarm.perceivedSeverity === 'critical');
    // Otherwise the check below could not tell a filtering hub from one that gets everything.
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(alarmSeeds.length);

    const alarm = await topicNamed('alarm');
    const criticalHub = await hubWithCallback(alarm.id, `${URLS.hubUrl}/tmf-api/event/v4/inbox/alarm-critical`);
    expect(criticalHub.query).toBe('event.alarm.perceivedSeverity=critical');
    expect(await deliveredEventIds(criticalHub.id)).toEqual(critical.map((e) => e.eventId).sort());
    const everythingHub = await hubWithCallback(alarm.id, `${URLS.hubUrl}/tmf-api/event/v4/inbox/alarm`);
    expect(await deliveredEventIds(everythingHub.id)).toEqual(alarmSeeds.map((e) => e.eventId).sort());
  });

  it('should project the payload of a hub whose query has fields=', async () => {
    await loadSeeds(services, SEEDS, URLS);
    const topic = await topicNamed('productOrder');
    const hub = await hubWithCallback(topic.id, `${URLS.hubUrl}/tmf-api/event/v4/inbox/product-order-completed`);
    const deliveries = (await stores.deliveries.list(hub.id, ALL)).items;
    expect(deliveries.map((d) => d.eventId)).toEqual(['seed-po-1001-completed']);
    const body = JSON.parse(deliveries[0].payload) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['@type', 'event', 'eventId', 'eventType', 'href', 'id']);
    expect(body.event).toEqual({ productOrder: { id: 'PO-1001', state: 'completed', completionDate: '2025-03-06T14:02:10.000Z' } });
  });

  it('should reuse a topic that already exists with the same name, and add the seeded hubs and events to it', async () => {
    const existing = await services.topics.create({ name: 'alarm' }, URLS.baseUrl);
    const result = await loadSeeds(services, SEEDS, URLS);
    expect(result.topics).toEqual({ created: expected.topics - 1, existing: 1 });
    expect((await topicNamed('alarm')).id).toBe(existing.id);
    const alarmEvents = SEEDS.flatMap((s) => s.events).filter((e) => e.topic === 'alarm').length;
    expect((await stores.events.list(existing.id, ALL)).total).toBe(alarmEvents);
  });

  it('should add a hub whose query differs from an existing hub with the same callback', async () => {
    const seed = tinySeed({ hubs: [{ topic: 't', callback: '{hubUrl}/cb' }] });
    await loadSeeds(services, [seed], URLS);
    const withQuery = tinySeed({ hubs: [{ topic: 't', callback: '{hubUrl}/cb', query: 'eventType=A' }] });
    const result = await loadSeeds(services, [withQuery], URLS);
    expect(result.hubs).toEqual({ created: 1, existing: 0 });
    expect((await loadSeeds(services, [seed, withQuery], URLS)).hubs).toEqual({ created: 0, existing: 2 });
  });

  it('should count an event whose eventId the topic already has as existing, and keep the stored one', async () => {
    const seed = tinySeed({});
    await loadSeeds(services, [seed], URLS);
    const changed = tinySeed({ events: [{ topic: 't', eventId: 'e-1', eventType: 'Changed' }] });
    expect((await loadSeeds(services, [changed], URLS)).events).toEqual({ created: 0, existing: 1 });
    const topic = await topicNamed('t');
    const events = (await stores.events.list(topic.id, ALL)).items;
    expect(events.map((e) => e.eventType)).toEqual(['Original']);
  });

  it('should fail with an error naming the file and the hub when a callback is refused', async () => {
    const strict = (await buildTestApp({ stores, config: { callbackPolicy: 'public-only' } })).services;
    const seed = tinySeed({ hubs: [{ topic: 't', callback: '{hubUrl}/cb' }] });
    const err = await loadSeeds(strict, [seed], URLS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeedFileError);
    expect((err as Error).message).toMatch(/^Seed file seeds\/tiny\.json: hubs\[0\] could not be loaded: callback: /);
  });
});

describe('seedUrls', () => {
  it.each([
    [{ host: '0.0.0.0' }, 8080, 'http://127.0.0.1:8080'],
    [{ host: '::' }, 9000, 'http://127.0.0.1:9000'],
    [{ host: '10.1.2.3' }, 8080, 'http://10.1.2.3:8080'],
    [{ host: '::1' }, 8080, 'http://[::1]:8080'],
    [{ host: '0.0.0.0', publicUrl: 'https://hub.example.com' }, 8080, 'https://hub.example.com'],
    [{ host: '0.0.0.0', publicUrl: 'https://hub.example.com/' }, 8080, 'https://hub.example.com'],
    [{ host: '0.0.0.0', publicUrl: 'https://hub.example.com/prefix/' }, 8080, 'https://hub.example.com/prefix'],
    [{ host: 'fe80::1%eth0' }, 8080, 'http://[fe80::1]:8080'],
  ])('should address %j on port %d as %s', (config, port, hubUrl) => {
    expect(seedUrls(config, port)).toEqual({ hubUrl, baseUrl: `${hubUrl}/tmf-api/event/v4` });
  });
});

function tinySeed(parts: Partial<Pick<SeedFile, 'hubs' | 'events'>>): SeedFile {
  return {
    file: 'seeds/tiny.json',
    schemas: [],
    topics: [{ name: 't' }],
    hubs: parts.hubs ?? [],
    events: parts.events ?? [{ topic: 't', eventId: 'e-1', eventType: 'Original' }],
  };
}
