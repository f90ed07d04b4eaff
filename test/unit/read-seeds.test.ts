import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOpenApiDocument } from '../../src/http/contract-document';
import { readSeedFile, readSeeds } from '../../src/seed/read-seeds';
import { SeedFileError } from '../../src/seed/seed-file';

const VALID = {
  description: 'a valid seed file',
  topics: [{ name: 'orders', headerQuery: 'domain=commercial' }],
  hubs: [{ topic: 'orders', callback: '{hubUrl}/tmf-api/event/v4/inbox/orders', query: 'eventType=A' }],
  events: [{ topic: 'orders', eventId: 'e-1', eventType: 'A', eventTime: '2025-01-01T00:00:00Z', event: { order: { id: '1' } } }],
};

describe('readSeeds', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seeds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, content: unknown): string {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  function problemOf(content: unknown): string {
    const path = write('bad.json', content);
    try {
      readSeedFile(path);
    } catch (err) {
      expect(err).toBeInstanceOf(SeedFileError);
      expect((err as SeedFileError).file).toBe(path);
      expect((err as Error).message).toBe(`Seed file ${path}: ${(err as SeedFileError).problem}`);
      return (err as SeedFileError).problem;
    }
    throw new Error('the seed file was accepted');
  }

  it('should read every *.json file of the directory in name order, and nothing else', () => {
    write('b.json', { ...VALID, topics: [{ name: 'b' }], hubs: [], events: [] });
    write('a.json', VALID);
    write('notes.txt', 'not a seed');
    const seeds = readSeeds(dir);
    expect(seeds.map((s) => s.file)).toEqual([join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(seeds[0]).toEqual({ file: join(dir, 'a.json'), schemas: [], ...VALID });
    expect(seeds[1]).toMatchObject({ topics: [{ name: 'b' }], hubs: [], events: [] });
  });

  it('should default hubs and events to none', () => {
    const seed = readSeedFile(write('only-topics.json', { topics: [{ name: 'x' }] }));
    expect(seed).toMatchObject({ topics: [{ name: 'x' }], hubs: [], events: [] });
  });

  it('should read the API documents a seed file lists, relative to the seed directory', () => {
    mkdirSync(join(dir, 'schemas'));
    writeFileSync(join(dir, 'schemas', 'api.yaml'), 'openapi: 3.0.1\n');
    const seed = readSeedFile(write('a.json', { ...VALID, schemas: ['schemas/api.yaml'] }));
    expect(seed.schemas).toEqual([{ path: 'schemas/api.yaml', text: 'openapi: 3.0.1\n' }]);
  });

  it('should name the file of the malformed one among good ones', () => {
    write('a.json', VALID);
    write('b.json', '{"topics": [');
    expect(() => readSeeds(dir)).toThrow(new RegExp(`^Seed file ${escape(join(dir, 'b.json'))}: invalid JSON: `));
  });

  it('should refuse a missing directory and one without seed files', () => {
    expect(() => readSeeds(join(dir, 'nope'))).toThrow(/the seed directory does not exist/);
    mkdirSync(join(dir, 'empty'));
    expect(() => readSeeds(join(dir, 'empty'))).toThrow(/the seed directory has no \*\.json files/);
  });

  it.each([
    ['not an object', [1, 2], 'must hold a JSON object with "topics", "hubs" and "events"'],
    ['an unknown top-level attribute', { ...VALID, hub: [] }, 'unknown attribute "hub" (allowed: description, schemas, topics, hubs, events)'],
    ['schemas that are not an array', { ...VALID, schemas: 'x.json' }, '"schemas" must be an array'],
    ['a schema that is not a path', { ...VALID, schemas: [3] }, 'schemas[0]: must be the path of an API document, relative to the seed directory'],
    ['a schema outside the seed directory', { ...VALID, schemas: ['../etc/passwd'] }, 'schemas[0]: "../etc/passwd" must stay inside the seed directory'],
    ['a schema file that does not exist', { ...VALID, schemas: ['schemas/none.json'] }, 'schemas[0]: "schemas/none.json" cannot be read: '],
    ['no topics', { ...VALID, topics: [] }, '"topics" must be a non-empty array'],
    ['events that are not an array', { ...VALID, events: {} }, '"events" must be an array'],
    ['a topic without a name', { topics: [{ headerQuery: 'a=1' }] }, 'topics[0].name: must be a non-empty string'],
    ['a topic defined twice', { topics: [{ name: 'x' }, { name: 'x' }] }, 'topics[1].name: the topic "x" is defined twice'],
    ['an invalid headerQuery', { topics: [{ name: 'x', headerQuery: 'a.regex=(a+)+' }] }, 'topics[0].headerQuery: '],
    ['a server-assigned id', { topics: [{ name: 'x', id: '1' }] }, 'topics[0].id: is assigned by the hub; remove it'],
    ['a hub of an unknown topic', { ...VALID, hubs: [{ topic: 'other', callback: 'http://127.0.0.1/x' }] }, 'hubs[0].topic: "other" is not a topic of this file (topics: orders)'],
    ['a hub without a callback', { ...VALID, hubs: [{ topic: 'orders' }] }, 'hubs[0].callback: must be a non-empty string'],
    ['an unknown placeholder', { ...VALID, hubs: [{ topic: 'orders', callback: '{hubURL}/x' }] }, 'hubs[0].callback: unknown placeholder {hubURL} (only {hubUrl} is replaced)'],
    ['a callback that is not an http URL', { ...VALID, hubs: [{ topic: 'orders', callback: 'ftp://x/y' }] }, 'hubs[0].callback: must be an absolute http(s) URL or start with {hubUrl}, got "ftp://x/y"'],
    ['an invalid hub query', { ...VALID, hubs: [{ topic: 'orders', callback: '{hubUrl}/x', query: '$where=1' }] }, 'hubs[0].query: '],
    ['a short secret', { ...VALID, hubs: [{ topic: 'orders', callback: '{hubUrl}/x', secret: 'short' }] }, 'hubs[0].secret: must be a string of 16 to 256 characters'],
    ['an event without eventId', { ...VALID, events: [{ topic: 'orders', eventType: 'A' }] }, 'events[0].eventId: must be a non-empty string (it is what makes loading the seeds twice create nothing new)'],
    ['an event without eventType', { ...VALID, events: [{ topic: 'orders', eventId: 'e' }] }, 'events[0].eventType: must be a non-empty string'],
    ['an event payload that is not an object', { ...VALID, events: [{ topic: 'orders', eventId: 'e', eventType: 'A', event: 'x' }] }, 'events[0].event: must be an object'],
    ['an invalid eventTime', { ...VALID, events: [{ topic: 'orders', eventId: 'e', eventType: 'A', eventTime: 'yesterday' }] }, 'events[0].eventTime: must be an ISO 8601 date-time'],
    [
      'an eventId used twice in a topic',
      { ...VALID, events: [VALID.events[0], { ...VALID.events[0], eventType: 'B' }] },
      'events[1].eventId: "e-1" is used twice in topic "orders"',
    ],
  ])('should refuse %s, naming the file and the item', (_what, content, problem) => {
    const actual = problemOf(content);
    if (problem.endsWith(': ')) expect(actual.startsWith(problem) && actual.length > problem.length).toBe(true);
    else expect(actual).toBe(problem);
  });
});

describe('the shipped seeds (seeds/*.json)', () => {
  const seeds = readSeeds();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(loadOpenApiDocument() as object, 'tmf688');
  const schema = (name: string) => ajv.getSchema(`tmf688#/components/schemas/${name}`)!;

  it('should cover product orders, service problems and alarms', () => {
    expect(seeds.map((s) => s.file).sort()).toEqual(['seeds/alarm.json', 'seeds/product-order.json', 'seeds/service-problem.json']);
  });

  it.each([
    ['topics', 'Topic_Create'],
    ['hubs', 'Hub_Create'],
    ['events', 'Event_Create'],
  ] as const)('should hold %s that the API would accept (%s)', (kind, schemaName) => {
    const validate = schema(schemaName);
    for (const seed of seeds) {
      for (const [i, item] of seed[kind].entries()) {
        const { topic: _topic, ...body } = item as Record<string, unknown>;
        if (typeof body.callback === 'string') body.callback = body.callback.replace('{hubUrl}', 'http://127.0.0.1:8080');
        if (!validate(body)) throw new Error(`${seed.file} ${kind}[${i}]: ${ajv.errorsText(validate.errors)}`);
      }
    }
  });

  it('should deliver every hub to the hub\'s own inbox, with at least one hub that filters', () => {
    const hubs = seeds.flatMap((s) => s.hubs);
    for (const hub of hubs) expect(hub.callback).toMatch(/^\{hubUrl\}\/tmf-api\/event\/v4\/inbox\/[a-z-]+$/);
    expect(hubs.some((h) => h.query)).toBe(true);
  });

  it('should give every event a @type naming its eventType', () => {
    for (const event of seeds.flatMap((s) => s.events)) expect(event['@type']).toBe(event.eventType);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
