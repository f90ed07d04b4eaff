import supertest from 'supertest';
import type { Config } from '../../src/config';
import { pollUntil } from '../helpers/poll';
import type { Stores } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';
import { readSpec } from '../helpers/tmf-specs';

const ALARM_SPEC = 'TMF642-Alarm-v4.0.0.swagger.json';
const ALL = { filter: [], offset: 0, limit: 1000 };

/** An AlarmCreateEvent that conforms to the official TMF642 v4 schema. */
const alarmEvent = (alarm: Record<string, unknown> = {}) => ({
  eventType: 'AlarmCreateEvent',
  domain: 'assurance',
  event: {
    alarm: {
      id: 3001,
      state: 'raised',
      perceivedSeverity: 'critical',
      alarmType: 'communicationsAlarm',
      isRootCause: true,
      place: [{ id: 'SITE-1', role: 'alarmedObjectLocation' }],
      ...alarm,
    },
  },
});

/** The three mutations the issue names, each with the path and rule the answer must name. */
const MUTATIONS: Array<[string, Record<string, unknown>, string, string]> = [
  ['a wrong type', { isRootCause: 'yes' }, '$.event.alarm.isRootCause', '(type)'],
  ['a missing required attribute', { place: [{ id: 'SITE-1' }] }, '$.event.alarm.place[0].role', '(required)'],
  ['an unknown enum value', { perceivedSeverity: 'catastrophic' }, '$.event.alarm.perceivedSeverity', '(enum)'],
];

describe('schema validation at publish', () => {
  let hub: TestApp;
  let stores: Stores;
  let cleanup: () => Promise<void>;
  const apps: TestApp[] = [];

  const app = async (config: Partial<Config> = {}) => {
    const made = await buildTestApp({ stores, config: { maxBodyBytes: 1024 * 1024, ...config } });
    apps.push(made);
    return made;
  };
  const topic = async (attributes: Record<string, unknown>, on: TestApp = hub) => (await on.client.post(`${API}/topic`, { name: 't', ...attributes })).body.id as string;
  const publish = (topicId: string, body: unknown, on: TestApp = hub) => on.client.post(`${API}/topic/${topicId}/event`, body);
  const importAlarms = async (on: TestApp = hub) => {
    const res = await on.client.post(`${API}/schema/import`, readSpec(ALARM_SPEC), { 'Content-Type': 'application/json' });
    expect(res.body.created.length).toBeGreaterThan(0);
  };

  beforeEach(async () => {
    ({ stores, cleanup } = await createTestStores());
    hub = await app();
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.stop();
    await cleanup();
  });

  it('should accept a conforming event under enforce', async () => {
    await importAlarms();
    const topicId = await topic({ schemaValidation: 'enforce' });
    const res = await publish(topicId, alarmEvent());
    expect(res.status).toBe(201);
    expect(res.headers['x-schema-warning']).toBeUndefined();
  });

  it.each(MUTATIONS)('should refuse %s under enforce with a 400 naming the path and rule, storing nothing', async (_what, mutation, path, rule) => {
    await importAlarms();
    const topicId = await topic({ schemaValidation: 'enforce' });
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: 'http://127.0.0.1:9/cb' })).body.id;
    const res = await publish(topicId, alarmEvent(mutation));
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('Schema violation');
    expect(res.body.message).toContain('AlarmCreateEvent version 1');
    expect(res.body.message).toContain(path);
    expect(res.body.message).toContain(rule);
    expect((await stores.events.list(topicId, ALL)).total).toBe(0);
    expect((await stores.deliveries.list(hubId, ALL)).total).toBe(0);
    expect(await stores.deliveries.listStaged(Date.now() + 3_600_000, 10)).toEqual([]);
  });

  it.each(MUTATIONS)('should accept %s under warn, with X-Schema-Warning, a counted failure and a listed one', async (_what, mutation, path, rule) => {
    await importAlarms();
    const topicId = await topic({ schemaValidation: 'warn' });
    const res = await publish(topicId, { ...alarmEvent(mutation), eventId: 'warned-1' });
    expect(res.status).toBe(201);
    expect(res.headers['x-schema-warning']).toContain(path);
    expect(res.headers['x-schema-warning']).toContain(rule);
    expect((await stores.events.list(topicId, ALL)).total).toBe(1);
    const metrics = await supertest(hub.app.callback()).get('/metrics');
    expect(metrics.text).toMatch(/^tmf688_schema_validation_failures_total\{mode="warn"\} 1$/m);
    const failures = await hub.client.get(`${API}/schemaValidationFailure?outcome=accepted`);
    expect(failures.body).toEqual([
      expect.objectContaining({ topicId, eventType: 'AlarmCreateEvent', eventId: 'warned-1', version: 1, mode: 'warn', outcome: 'accepted', path, rule: rule.slice(1, -1) }),
    ]);
  });

  it('should pass events of types with no schema, except under strict', async () => {
    await importAlarms();
    const enforced = await topic({ schemaValidation: 'enforce' });
    expect((await publish(enforced, { eventType: 'SomethingElse', event: { x: 1 } })).status).toBe(201);
    expect((await publish(enforced, { event: { x: 1 } })).status).toBe(201);
    const strict = await hub.client.post(`${API}/topic`, { name: 's', schemaValidation: 'strict' });
    const refused = await publish(strict.body.id, { eventType: 'SomethingElse' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('No schema is registered for eventType SomethingElse');
    expect((await publish(strict.body.id, {})).body.message).toContain('The event has no eventType');
    expect((await publish(strict.body.id, alarmEvent())).status).toBe(201);
    const metrics = await supertest(hub.app.callback()).get('/metrics');
    expect(metrics.text).toMatch(/^tmf688_schema_validation_failures_total\{mode="strict"\} 2$/m);
  });

  it('should not validate on topics that are off, explicitly or by default', async () => {
    await importAlarms();
    const bad = alarmEvent({ perceivedSeverity: 'catastrophic' });
    expect((await publish(await topic({ schemaValidation: 'off' }), bad)).status).toBe(201);
    expect((await publish(await topic({}), bad)).status).toBe(201);
  });

  it('should take the default mode of topics without the attribute from HUB_SCHEMA_VALIDATION', async () => {
    const enforcing = await app({ schemaValidation: 'enforce' });
    await importAlarms(enforcing);
    const bad = alarmEvent({ perceivedSeverity: 'catastrophic' });
    expect((await publish(await topic({}, enforcing), bad, enforcing)).status).toBe(400);
    expect((await publish(await topic({ schemaValidation: 'off' }, enforcing), bad, enforcing)).status).toBe(201);
    // The same topic read through a hub whose default is off: the default is the process's, not stored.
    expect((await publish(await topic({}, enforcing), bad)).status).toBe(201);
  });

  it('should refuse a topic with an unknown schemaValidation', async () => {
    const res = await hub.client.post(`${API}/topic`, { name: 'x', schemaValidation: 'sometimes' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('schemaValidation');
  });

  it('should validate against a new version at once, and stop validating when the type is deleted', async () => {
    const topicId = await topic({ schemaValidation: 'enforce' });
    const body = { eventType: 'OrderEvent', event: { id: 'x' } };
    expect((await publish(topicId, body)).status).toBe(201);
    await hub.client.post(`${API}/schema/OrderEvent`, { type: 'object', properties: { event: { type: 'object', properties: { id: { type: 'string' } } } } });
    expect((await publish(topicId, { ...body, event: { id: 1 } })).status).toBe(400);
    const v2 = await hub.client.post(`${API}/schema/OrderEvent?compatibility=none`, { type: 'object', properties: { event: { type: 'object', properties: { id: { type: 'integer' } } } } });
    expect(v2.body.version).toBe(2);
    expect((await publish(topicId, { ...body, event: { id: 1 } })).status).toBe(201);
    const refused = await publish(topicId, body);
    expect(refused.body.message).toContain('OrderEvent version 2: $.event.id must be integer (type)');
    await hub.client.delete(`${API}/schema/OrderEvent`);
    expect((await publish(topicId, body)).status).toBe(201);
  });

  it('should see a schema registered through another process within HUB_SCHEMA_CACHE_TTL', async () => {
    // Two hubs on the same stores, as two processes on one MongoDB: the publisher caches "no schema" for the TTL.
    const publisher = await app({ schemaCacheTtlMs: 200 });
    const topicId = await topic({ schemaValidation: 'enforce' }, publisher);
    const bad = { eventType: 'OrderEvent', event: { id: 1 } };
    expect((await publish(topicId, bad, publisher)).status).toBe(201);
    await hub.client.post(`${API}/schema/OrderEvent`, { type: 'object', properties: { event: { type: 'object', properties: { id: { type: 'string' } } } } });
    // Until the cached answer expires the publisher may still accept it; then it must refuse.
    const refused = await pollUntil(async () => {
      const res = await publish(topicId, { ...bad, eventId: undefined }, publisher);
      return res.status === 400 ? res : undefined;
    }, 5000, 'the schema registered elsewhere to be enforced');
    expect(refused.body.message).toContain('$.event.id must be string (type)');
  });
});
