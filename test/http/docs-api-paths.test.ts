import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import supertest from 'supertest';
import { OPENAPI_FILE, PROJECT_ROOT } from '../../src/paths';
import { apiPathReferences, expandAlternatives, matchesTemplate, type ApiPathReference } from '../helpers/api-path-references';
import { buildTestApp, type TestApp } from '../helpers/test-app';

/**
 * Every API path the README and the docs pages name (in tables, prose and examples) is one the hub
 * serves: a path of the contract, with the method when one is named, or, outside the API, a route
 * the app answers. The CHANGELOG is history and may name what no longer exists.
 */
const contract = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const PAGES = ['README.md', ...readdirSync(join(PROJECT_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The contract paths a reference matches (with its method, when it names one). */
function contractMatches(ref: Pick<ApiPathReference, 'method' | 'path'>): string[] {
  return Object.entries(contract.paths)
    .filter(([template, operations]) => matchesTemplate(ref.path, template) && (!ref.method || ref.method.toLowerCase() in operations))
    .map(([template]) => template);
}

describe('apiPathReferences', () => {
  it.each([
    ['| listHub | `GET /topic/{topicId}/hub` | 200 |', [{ method: 'GET', path: '/topic/{topicId}/hub' }]],
    ['`GET /topic/{topicId}/hub/{hubId}/stats?window=1h` (and', [{ method: 'GET', path: '/topic/{topicId}/hub/{hubId}/stats' }]],
    ['`POST /tmf-api/event/v4/inbox/{name}`', [{ method: 'POST', path: '/inbox/{name}' }]],
    ['curl -s "$B/topic/$TOPIC/hub/$HUB/delivery?status=dead"', [{ path: '/topic/$TOPIC/hub/$HUB/delivery' }]],
    ['-d \'{"callback":"http://127.0.0.1:8080/tmf-api/event/v4/inbox/mine"}\'', [{ path: '/inbox/mine' }]],
    ['`ws://localhost:8080/tmf-api/eventManagement/v4/topic/$TOPIC/event/stream`.', [{ path: '/topic/$TOPIC/event/stream' }]],
    ['Outside the API: `GET /health` (the process is up)', [{ method: 'GET', path: '/health' }]],
    ['`GET .../event/{id}` returns it, `POST {callback}`', []],
    ['B=http://localhost:8080/tmf-api/event/v4', []],
    ['(`$B/topic/...`, `.../tmf-api/event/v4/...`)', []],
  ])('should find in %s: %j', (line, expected) => {
    expect(apiPathReferences(line).map(({ method, path }) => ({ ...(method ? { method } : {}), path }))).toEqual(expected);
  });
});

describe('expandAlternatives', () => {
  it('should make one path per alternative', () => {
    expect(expandAlternatives('/listener/topic{Create,Delete}Event')).toEqual(['/listener/topicCreateEvent', '/listener/topicDeleteEvent']);
    expect(expandAlternatives('/topic/{id}')).toEqual(['/topic/{id}']);
  });
});

describe('matchesTemplate', () => {
  it.each([
    ['/topic/{id}', '/topic/{id}', true],
    ['/topic/$TOPIC/hub/$HUB/delivery', '/topic/{topicId}/hub/{hubId}/delivery', true],
    ['/inbox/mine', '/inbox/{name}', true],
    ['/topic/{topicId}/event/stream', '/topic/{topicId}/event/stream', true],
    ['/topic/{topicId}/event/stream', '/topic/{topicId}/event/{id}', true],
    ['/topic/{topicId}/bogus', '/topic/{topicId}/event', false],
    ['/topic/{id}/event/{x}', '/topic/{topicId}/event/stream', false],
    ['/topic/{id}/hub', '/topic/{topicId}/hub/{id}', false],
    ['/listener/*', '/listener/topicCreateEvent', true],
    ['/listener/*', '/topic/{id}', false],
  ])('should match %s against %s: %s', (path, template, expected) => {
    expect(matchesTemplate(path, template)).toBe(expected);
  });
});

describe('the API paths the README and docs name', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await buildTestApp();
  });
  afterAll(async () => {
    await hub.stop();
  });

  const refs = PAGES.flatMap((file) => apiPathReferences(readFileSync(join(PROJECT_ROOT, file), 'utf8')).map((ref) => ({ file, ...ref })));

  it('should be found: the pages do name API paths', () => {
    expect(refs.filter((ref) => ref.file === 'docs/api.md').length).toBeGreaterThan(20);
  });

  it('should all be paths of the contract, with the named method, or routes the app answers outside the API', async () => {
    const unknown: string[] = [];
    for (const ref of refs) {
      if (contractMatches(ref).length > 0) continue;
      // Outside the API (/health, /metrics, /console, ...): a GET the app answers with anything but 404.
      const outside = (!ref.method || ref.method === 'GET') && (await supertest(hub.app.callback()).get(ref.path)).status !== 404;
      if (!outside) unknown.push(`${ref.file}:${ref.line}: ${ref.method ?? ''} ${ref.path}`.replace(':  ', ': '));
    }
    expect(unknown).toEqual([]);
  });
});
