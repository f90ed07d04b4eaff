import { readFileSync } from 'node:fs';
import { StoreUnavailableError } from '../../src/store/store-errors';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';
import { asYaml, CATALOG, ODA_FIXTURES, ORDERING, orderingListeningOn, readManifest, type Manifest } from '../helpers/oda-manifests';

const YAML = { 'Content-Type': 'application/yaml' };
const odaPath = (name: string) => `${API}/odaComponent/${name}`;
const LISTENER_PATH = '/r1-productorderingmanagement/tmf-api/productOrderingManagement/v4/listener/productOfferingStateChangeEvent';

type Made = { name: string; topicId: string; origin?: string; hubId?: string; callback?: string; query?: string };

/**
 * ODA event wiring end to end, with the two reference components (a product catalog publishing
 * TMF620 notifications, a product ordering component subscribing to one of them on a path of its own
 * service): topics and hubs made, events delivered, re-applying a no-op, changes applied as a diff,
 * deletes that leave everyone else's topics and hubs alone, and every bad manifest refused.
 */
describe('ODA event wiring (PUT/GET/DELETE /odaComponent/{name})', () => {
  let hub: TestApp;
  let receiver: TestReceiver;

  const apply = (name: string, body: Manifest | string, headers: Record<string, string> = YAML) =>
    hub.client.put(odaPath(name), typeof body === 'string' ? body : headers['Content-Type'] === 'application/json' ? JSON.stringify(body) : asYaml(body), headers);
  const topicNames = async () => ((await hub.client.get(`${API}/topic?limit=1000`)).body as Array<{ name: string }>).map((t) => t.name).sort();
  const topicOf = (record: { publishedEvents: Made[] }, name: string) => record.publishedEvents.find((t) => t.name === name)!.topicId;
  /** Everything the hub holds that a bad request could change: topics, hubs of each, components. */
  const snapshot = async () => {
    const topics = (await hub.client.get(`${API}/topic?limit=1000`)).body as Array<{ id: string }>;
    const hubs = await Promise.all(topics.map(async (t) => (await hub.client.get(`${API}/topic/${t.id}/hub`)).body));
    const components = await Promise.all([CATALOG, ORDERING].map(async (name) => (await hub.client.get(odaPath(name))).body));
    return { topics, hubs, components };
  };

  beforeEach(async () => {
    receiver = await TestReceiver.start();
    hub = await buildTestApp({ worker: {}, config: { odaCallbackBase: 'http://127.0.0.1:{port}' } });
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  it('should create the declared topics and hubs, deliver to the subscribed callback, and change nothing when applied again', async () => {
    await hub.client.post(`${API}/hub`, { callback: receiver.url('/topic-events'), query: 'eventType=TopicCreateEvent' });
    const catalog = await apply(CATALOG, readFileSync(ODA_FIXTURES.catalog, 'utf8'));
    expect(catalog.status).toBe(201);
    expect(catalog.headers.location).toBe(`http://hub.test${odaPath(CATALOG)}`);
    expect(catalog.body).toMatchObject({ id: CATALOG, name: CATALOG, namespace: 'components', generation: 1, subscribedEvents: [], keptTopics: [], unapplied: [], '@type': 'OdaComponent' });
    expect(catalog.body.publishedEvents.map((t: Made) => [t.name, t.origin])).toEqual([
      ['ProductSpecificationCreateEvent', 'created'],
      ['ProductOfferingCreateEvent', 'created'],
      ['ProductOfferingStateChangeEvent', 'created'],
    ]);
    expect(catalog.body.changes.topicsCreated).toHaveLength(3);

    const ordering = await apply(ORDERING, orderingListeningOn(receiver.port));
    expect(ordering.status).toBe(201);
    const offeringTopic = topicOf(catalog.body, 'ProductOfferingStateChangeEvent');
    const [subscribed] = ordering.body.subscribedEvents as Made[];
    expect(subscribed).toMatchObject({
      name: 'ProductOfferingStateChangeEvent',
      topicId: offeringTopic,
      callback: `http://127.0.0.1:${receiver.port}${LISTENER_PATH}`,
      query: 'eventType=ProductOfferingStateChangeEvent&event.productOffering.lifecycleStatus=Launched',
    });
    expect(ordering.body.changes).toEqual({ topicsCreated: ['ProductOrderCreateEvent', 'ProductOrderStateChangeEvent'], topicsDeleted: [], hubsCreated: ['ProductOfferingStateChangeEvent'], hubsDeleted: [] });
    const hubResource = (await hub.client.get(`${API}/topic/${offeringTopic}/hub/${subscribed.hubId}`)).body;
    expect(hubResource.owner).toBe(`odaComponent:${ORDERING}`);

    for (const lifecycleStatus of ['Retired', 'Launched']) {
      await hub.client.post(`${API}/topic/${offeringTopic}/event`, { eventType: 'ProductOfferingStateChangeEvent', event: { productOffering: { id: 'po-1', lifecycleStatus } } });
    }
    const [delivered] = await pollUntil(async () => (receiver.requestsTo(LISTENER_PATH).length ? receiver.requestsTo(LISTENER_PATH) : undefined), 5000, 'the delivery');
    expect(delivered.json.event.productOffering.lifecycleStatus).toBe('Launched');
    await pollUntil(async () => (receiver.requestsTo('/topic-events').length === 5 ? true : undefined), 5000, 'five TopicCreateEvents');

    const topicsBefore = await topicNames();
    for (const [name, manifest] of [[CATALOG, readManifest(ODA_FIXTURES.catalog)], [ORDERING, orderingListeningOn(receiver.port)]] as const) {
      const before = (await hub.client.get(odaPath(name))).body;
      const again = await apply(name, manifest);
      expect(again.status).toBe(200);
      expect(again.body.changes).toEqual({ topicsCreated: [], topicsDeleted: [], hubsCreated: [], hubsDeleted: [] });
      const { changes: _changes, ...record } = again.body;
      expect(record).toEqual(before);
    }
    expect(await topicNames()).toEqual(topicsBefore);
    // Published through another process's eyes: still one delivery per event, and no new topic notification.
    await hub.client.post(`${API}/topic/${offeringTopic}/event`, { eventType: 'ProductOfferingStateChangeEvent', event: { productOffering: { id: 'po-2', lifecycleStatus: 'Launched' } } });
    await pollUntil(async () => (receiver.requestsTo(LISTENER_PATH).length === 2 ? true : undefined), 5000, 'the second delivery');
    expect(receiver.requestsTo('/topic-events')).toHaveLength(5);
  });

  it('should give a manifest in JSON the same wiring and digest as in YAML', async () => {
    const yaml = await apply(CATALOG, readManifest(ODA_FIXTURES.catalog));
    const json = await apply(CATALOG, readManifest(ODA_FIXTURES.catalog), { 'Content-Type': 'application/json' });
    expect(json.status).toBe(200);
    expect(json.body.digest).toBe(yaml.body.digest);
    expect(json.body.changes.topicsCreated).toEqual([]);
    for (const type of ['application/x-yaml', 'text/yaml']) expect((await apply(CATALOG, readManifest(ODA_FIXTURES.catalog), { 'Content-Type': type })).status).toBe(200);
  });

  it('should apply a changed manifest as a diff: only what the manifests made is added or removed', async () => {
    await apply(CATALOG, readManifest(ODA_FIXTURES.catalog));
    const first = (await apply(ORDERING, orderingListeningOn(receiver.port))).body;
    const changed = orderingListeningOn(receiver.port);
    changed.spec.eventNotification.publishedEvents = [{ name: 'ProductOrderCreateEvent' }, { name: 'ProductOrderDeleteEvent' }];
    changed.spec.eventNotification.subscribedEvents[0].query = 'eventType=ProductOfferingStateChangeEvent';
    const second = await apply(ORDERING, changed);
    expect(second.status).toBe(200);
    expect(second.body.changes).toEqual({
      topicsCreated: ['ProductOrderDeleteEvent'],
      topicsDeleted: ['ProductOrderStateChangeEvent'],
      hubsCreated: ['ProductOfferingStateChangeEvent'],
      hubsDeleted: ['ProductOfferingStateChangeEvent'],
    });
    expect(second.body.generation).toBe(2);
    expect(topicOf(second.body, 'ProductOrderCreateEvent')).toBe(topicOf(first, 'ProductOrderCreateEvent'));
    expect(second.body.subscribedEvents[0].hubId).not.toBe(first.subscribedEvents[0].hubId);
    expect((await hub.client.get(`${API}/topic/${topicOf(first, 'ProductOrderStateChangeEvent')}`)).status).toBe(404);
    expect(await topicNames()).toEqual([
      'ProductOfferingCreateEvent', 'ProductOfferingStateChangeEvent', 'ProductOrderCreateEvent', 'ProductOrderDeleteEvent', 'ProductSpecificationCreateEvent',
    ]);
  });

  it("should delete what a component made and leave other components' and clients' topics and hubs alone", async () => {
    const catalog = (await apply(CATALOG, readManifest(ODA_FIXTURES.catalog))).body;
    const offeringTopic = topicOf(catalog, 'ProductOfferingStateChangeEvent');
    const ordering = (await apply(ORDERING, orderingListeningOn(receiver.port))).body;
    const clientsHub = (await hub.client.post(`${API}/topic/${offeringTopic}/hub`, { callback: receiver.url('/other') })).body;
    const catalogBefore = (await hub.client.get(odaPath(CATALOG))).body;

    expect((await hub.client.delete(odaPath(ORDERING))).status).toBe(204);
    expect((await hub.client.get(odaPath(ORDERING))).status).toBe(404);
    for (const t of ordering.publishedEvents as Made[]) expect((await hub.client.get(`${API}/topic/${t.topicId}`)).status).toBe(404);
    const hubsLeft = (await hub.client.get(`${API}/topic/${offeringTopic}/hub`)).body as Array<{ id: string }>;
    expect(hubsLeft.map((h) => h.id)).toEqual([clientsHub.id]);
    expect((await hub.client.get(odaPath(CATALOG))).body).toEqual(catalogBefore);
    for (const t of catalog.publishedEvents as Made[]) expect((await hub.client.get(`${API}/topic/${t.topicId}`)).status).toBe(200);
    expect((await hub.client.delete(odaPath(ORDERING))).status).toBe(404);
  });

  it('should reuse an existing topic of the name and never delete it, and keep a created topic others still use', async () => {
    const existing = (await hub.client.post(`${API}/topic`, { name: 'ProductOfferingCreateEvent' })).body;
    const catalog = (await apply(CATALOG, readManifest(ODA_FIXTURES.catalog))).body;
    expect(catalog.publishedEvents[1]).toEqual({ name: 'ProductOfferingCreateEvent', topicId: existing.id, origin: 'reused' });
    expect(catalog.changes.topicsCreated).toEqual(['ProductSpecificationCreateEvent', 'ProductOfferingStateChangeEvent']);

    const specificationTopic = topicOf(catalog, 'ProductSpecificationCreateEvent');
    await hub.client.post(`${API}/topic/${specificationTopic}/hub`, { callback: receiver.url('/someone') });
    const smaller = readManifest(ODA_FIXTURES.catalog);
    smaller.spec.eventNotification.publishedEvents = smaller.spec.eventNotification.publishedEvents.slice(2);
    const applied = (await apply(CATALOG, smaller)).body;
    expect(applied.changes.topicsDeleted).toEqual([]);
    expect(applied.keptTopics).toEqual([{ name: 'ProductSpecificationCreateEvent', topicId: specificationTopic, reason: 'kept: 1 hub(s) not made by this component are on it' }]);
    expect(applied.publishedEvents.map((t: Made) => t.name)).toEqual(['ProductOfferingStateChangeEvent']);

    expect((await hub.client.delete(odaPath(CATALOG))).status).toBe(204);
    expect(await topicNames()).toEqual(['ProductOfferingCreateEvent', 'ProductSpecificationCreateEvent']);
  });

  it('should report entries it cannot apply, with the reason, apply the rest, and make them once it can', async () => {
    const ordering = orderingListeningOn(receiver.port);
    ordering.spec.eventNotification.subscribedEvents.push(
      { name: 'ProductOrderCreateEvent', callback: 'listener/relative' },
      { name: 'ProductOrderCreateEvent', callback: 'http://127.0.0.1:1/x' },
      { name: 'ProductOrderStateChangeEvent' },
    );
    const first = (await apply(ORDERING, ordering)).body;
    expect(first.unapplied).toEqual([
      { section: 'subscribedEvents', name: 'ProductOrderCreateEvent', reason: expect.stringContaining('a second entry named "ProductOrderCreateEvent"') },
      { section: 'subscribedEvents', name: 'ProductOfferingStateChangeEvent', reason: expect.stringContaining('no topic named "ProductOfferingStateChangeEvent"') },
      { section: 'subscribedEvents', name: 'ProductOrderCreateEvent', reason: expect.stringContaining('neither an absolute URL nor a path') },
      { section: 'subscribedEvents', name: 'ProductOrderStateChangeEvent', reason: expect.stringContaining('no callback') },
    ]);
    expect(first.subscribedEvents).toEqual([]);
    expect((await hub.client.get(odaPath(ORDERING))).body.unapplied).toEqual(first.unapplied);

    await apply(CATALOG, readManifest(ODA_FIXTURES.catalog));
    const second = (await apply(ORDERING, ordering)).body;
    expect(second.changes.hubsCreated).toEqual(['ProductOfferingStateChangeEvent']);
    expect(second.unapplied.map((u: { name: string }) => u.name)).toEqual(['ProductOrderCreateEvent', 'ProductOrderCreateEvent', 'ProductOrderStateChangeEvent']);
  });

  it('should keep recorded what an apply made before the store failed, and finish it at the next apply', async () => {
    const failing = failSecondCall(hub.services.topics, 'create');
    expect((await apply(CATALOG, readManifest(ODA_FIXTURES.catalog))).status).toBe(503);
    failing.mockRestore();
    const recorded = (await hub.client.get(odaPath(CATALOG))).body;
    expect(recorded.publishedEvents.map((t: Made) => [t.name, t.origin])).toEqual([['ProductSpecificationCreateEvent', 'created']]);
    const finished = (await apply(CATALOG, readManifest(ODA_FIXTURES.catalog))).body;
    expect(finished.changes.topicsCreated).toEqual(['ProductOfferingCreateEvent', 'ProductOfferingStateChangeEvent']);
    expect(await topicNames()).toEqual(['ProductOfferingCreateEvent', 'ProductOfferingStateChangeEvent', 'ProductSpecificationCreateEvent']);
  });

  it('should keep the record of what a failed delete did not remove, and remove it at the next delete', async () => {
    await apply(CATALOG, readManifest(ODA_FIXTURES.catalog));
    const failing = failSecondCall(hub.services.topics, 'delete');
    expect((await hub.client.delete(odaPath(CATALOG))).status).toBe(503);
    failing.mockRestore();
    const left = (await hub.client.get(odaPath(CATALOG))).body;
    expect(left.publishedEvents.map((t: Made) => t.name)).toEqual(['ProductOfferingCreateEvent', 'ProductOfferingStateChangeEvent']);
    expect(await topicNames()).toEqual(['ProductOfferingCreateEvent', 'ProductOfferingStateChangeEvent']);
    expect((await hub.client.delete(odaPath(CATALOG))).status).toBe(204);
    expect(await topicNames()).toEqual([]);
  });

  it('should report a callback the callback guard refuses as unapplied', async () => {
    const guarded = await buildTestApp({ config: { callbackPolicy: 'public-only', odaCallbackBase: 'http://127.0.0.1:{port}' } });
    try {
      await guarded.client.post(`${API}/topic`, { name: 'ProductOfferingStateChangeEvent' });
      const res = await guarded.client.put(odaPath(ORDERING), asYaml(orderingListeningOn(receiver.port)), YAML);
      expect(res.status).toBe(201);
      expect(res.body.subscribedEvents).toEqual([]);
      expect(res.body.unapplied).toEqual([{ section: 'subscribedEvents', name: 'ProductOfferingStateChangeEvent', reason: expect.stringMatching(/^callback: .*127\.0\.0\.1/) }]);
    } finally {
      await guarded.stop();
    }
  });

  // Each bad manifest, and what the refusal of its YAML says (its JSON is refused by the contract, naming the attribute).
  const bad: Array<[string, (m: Manifest) => unknown, string]> = [
    ['not YAML', () => 'apiVersion: [unclosed', 'The body is not valid YAML'],
    ['two YAML documents', (m) => `${asYaml(m)}---\n${asYaml(m)}`, 'The body is not valid YAML'],
    ['a YAML scalar', () => '42', 'The body must be an ODA Component manifest'],
    ['another apiVersion', (m) => ({ ...m, apiVersion: 'oda.tmforum.org/v1beta3' }), 'apiVersion: must be oda.tmforum.org/v1'],
    ['another kind', (m) => ({ ...m, kind: 'ExposedAPI' }), 'kind: must be Component'],
    ["a metadata.name that is not the path's", (m) => ({ ...m, metadata: { ...m.metadata, name: 'someone-else' } }), 'metadata.name: "someone-else" is not the component of the path'],
    ['no metadata', ({ metadata: _m, ...m }) => m, 'metadata: must be a mapping'],
    ['no spec', ({ spec: _s, ...m }) => m, 'spec: must be a mapping'],
    ['an upper-case namespace', (m) => ({ ...m, metadata: { ...m.metadata, namespace: 'Components' } }), 'metadata.namespace: must be a Kubernetes name'],
    ['an entry without a name', (m) => withEvents(m, [{ hub: '/hub' }], []), 'publishedEvents[0].name: must be a topic name'],
    ['an entry with an empty name', (m) => withEvents(m, [{ name: '' }], []), 'publishedEvents[0].name: must be a topic name'],
    ['a list that is not a list', (m) => ({ ...m, spec: { eventNotification: { publishedEvents: 'ProductOrderCreateEvent' } } }), 'spec.eventNotification.publishedEvents: must be a list'],
    ['a port that is not an integer', (m) => withEvents(m, [], [{ name: 'x', callback: '/x', port: '8080' }]), 'subscribedEvents[0].port: must be an integer'],
    ['a port out of range', (m) => withEvents(m, [], [{ name: 'x', callback: '/x', port: 70000 }]), 'subscribedEvents[0].port: must be an integer'],
    ['a callback that is not a text', (m) => withEvents(m, [], [{ name: 'x', callback: ['/x'] }]), 'subscribedEvents[0].callback: must be a text'],
    ['an empty body', () => ' \n', 'The body must be an ODA Component manifest'],
  ];

  it.each(bad)('should refuse %s with a 400 TMF Error, in YAML and in JSON, and change nothing', async (_what, change, message) => {
    await apply(CATALOG, readManifest(ODA_FIXTURES.catalog));
    const before = await snapshot();
    const body = change(readManifest(ODA_FIXTURES.catalog));
    const yaml = await hub.client.put(odaPath(CATALOG), typeof body === 'string' ? body : asYaml(body as Manifest), YAML);
    expect({ status: yaml.status, reason: yaml.body.reason, message: yaml.body.message }).toEqual({ status: 400, reason: 'Invalid manifest', message: expect.stringContaining(message) });
    if (typeof body !== 'string') {
      const json = await hub.client.put(odaPath(CATALOG), JSON.stringify(body), { 'Content-Type': 'application/json' });
      expect({ status: json.status, code: json.body.code }).toEqual({ status: 400, code: 'BadRequest' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('should refuse a name that is not a Kubernetes name, and a body of another media type', async () => {
    expect((await apply('Not_A_Name', readManifest(ODA_FIXTURES.catalog))).status).toBe(400);
    expect((await hub.client.put(odaPath(CATALOG), 'apiVersion: x', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await hub.client.get(odaPath(CATALOG))).status).toBe(404);
    expect(await topicNames()).toEqual([]);
  });
});

function withEvents(m: Manifest, publishedEvents: unknown[], subscribedEvents: unknown[]): Manifest {
  return { ...m, spec: { ...m.spec, eventNotification: { publishedEvents, subscribedEvents } } } as Manifest;
}

describe('ODA event wiring with access control on', () => {
  const ADMIN = 'oda-admin-key-0123456789ab';
  const PUBLISHER = 'oda-publisher-key-01234567';
  let file: TestClientsFile;
  let hub: TestApp;

  beforeAll(async () => {
    file = writeClientsFile([{ name: 'catalog-publisher', key: PUBLISHER, roles: ['publisher', 'subscriber'] }]);
    hub = await buildTestApp({ config: { clientsFile: file.path, apiKeys: [ADMIN] } });
  });
  afterAll(async () => {
    await hub.stop();
    file.remove();
  });

  it('should let only an admin apply, read and delete a component, and record who did in the audit trail', async () => {
    const as = (key: string) => ({ Authorization: `Bearer ${key}` });
    const yaml = readFileSync(ODA_FIXTURES.catalog, 'utf8');
    const refused = [
      await hub.client.put(odaPath(CATALOG), yaml, { ...YAML, ...as(PUBLISHER) }),
      await hub.client.get(odaPath(CATALOG), as(PUBLISHER)),
      await hub.client.delete(odaPath(CATALOG), as(PUBLISHER)),
    ];
    expect(refused.map((r) => [r.status, r.body.message])).toEqual(Array(3).fill([403, 'The client catalog-publisher lacks the permission admin']));
    expect((await hub.client.get(`${API}/topic`, as(ADMIN))).body).toEqual([]);
    expect((await hub.client.put(odaPath(CATALOG), yaml, { ...YAML })).status).toBe(401);

    expect((await hub.client.put(odaPath(CATALOG), yaml, { ...YAML, ...as(ADMIN) })).status).toBe(201);
    expect((await hub.client.get(odaPath(CATALOG), as(ADMIN))).status).toBe(200);
    expect((await hub.client.delete(odaPath(CATALOG), as(ADMIN))).status).toBe(204);
    const trail = (await hub.client.get(`${API}/auditRecord?operation=applyOdaComponent,deleteOdaComponent&status.lt=400`, as(ADMIN))).body;
    expect(trail.map((r: { principal: string; operation: string; status: number }) => [r.principal, r.operation, r.status])).toEqual([
      ['api-key-1', 'deleteOdaComponent', 204],
      ['api-key-1', 'applyOdaComponent', 201],
    ]);
  });
});

/** Makes the second call of a service method fail as a store outage does (503); the others go through. */
function failSecondCall<T extends object, K extends keyof T & string>(service: T, method: K): jest.SpyInstance {
  const original = (service[method] as (...args: unknown[]) => Promise<unknown>).bind(service);
  let calls = 0;
  return jest.spyOn(service, method as never).mockImplementation((async (...args: unknown[]) => {
    if (++calls === 2) throw new StoreUnavailableError();
    return original(...args);
  }) as never);
}
