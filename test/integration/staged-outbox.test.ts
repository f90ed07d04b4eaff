import { sweepStaged } from '../../src/delivery/sweep-staged';
import { createLogger } from '../../src/logger';
import type { ClaimRequest, Delivery } from '../../src/store/delivery-types';
import type { Resource, Stores } from '../../src/store/store-types';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver } from '../helpers/test-receiver';
import { createTestStores } from '../helpers/test-stores';

const claimAll = (): ClaimRequest => ({ now: Date.now() + 60_000, leaseMs: 1, owner: 'probe', limit: 1000, perHubLimit: 1000, inFlightByHub: new Map() });

/**
 * Publishing stages its outbox records, stores the event, then releases them: no delivery can be
 * claimed for an event that is not stored, so a publish answered 409 is never delivered.
 */
describe('staged outbox writes', () => {
  const apps: TestApp[] = [];
  let receiver: TestReceiver;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    receiver = await TestReceiver.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await receiver.close();
  });

  async function freshStores(): Promise<Stores> {
    const { stores, cleanup } = await createTestStores();
    cleanups.push(cleanup);
    return stores;
  }

  async function topicWithHub(app: TestApp): Promise<{ topicId: string; hubId: string }> {
    const topicId = (await app.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const hubId = (await app.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/orders') })).body.id;
    return { topicId, hubId };
  }

  it('should let nothing be claimed while two duplicate publishes wait to store their events, and keep nothing of the 409', async () => {
    const stores = await freshStores();
    const insert = stores.events.insert.bind(stores.events);
    const claimedWhileUnstored: Delivery[] = [];
    // A barrier holds both publishes just before their event insert, where the old order had claimable records.
    let waiting: Array<() => void> = [];
    stores.events.insert = async (scope: string, resource: Resource) => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          void stores.deliveries.claimDue(claimAll()).then((claimed) => {
            claimedWhileUnstored.push(...claimed);
            for (const release of waiting) release();
            waiting = [];
          });
        }
      });
      return insert(scope, resource);
    };
    const app = await buildTestApp({ stores });
    apps.push(app);
    const { topicId, hubId } = await topicWithHub(app);
    const publish = () => app.client.post(`${API}/topic/${topicId}/event`, { eventId: 'dup-1', eventType: 'ProductOrderCreateEvent' });
    const answers = await Promise.all([publish(), publish()]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(claimedWhileUnstored).toEqual([]);
    const stored = answers.find((r) => r.status === 201)!.body;
    const claimable = await stores.deliveries.claimDue(claimAll());
    expect(claimable.map((d) => ({ hubId: d.hubId, eventResourceId: d.eventResourceId }))).toEqual([{ hubId, eventResourceId: stored.id }]);
    await expect(stores.deliveries.listStaged(Date.now() + 60_000, 10)).resolves.toEqual([]);
  });

  it('should deliver exactly the events answered 201 when duplicate eventIds race, never a 409 one', async () => {
    const app = await buildTestApp({ worker: {} });
    apps.push(app);
    const { topicId, hubId } = await topicWithHub(app);
    const pairs = 20;
    const answers = await Promise.all(
      Array.from({ length: pairs }, (_, i) => [0, 1].map(() => app.client.post(`${API}/topic/${topicId}/event`, { eventId: `race-${i}`, eventType: 'X' }))).flat(),
    );
    for (let i = 0; i < pairs; i++) {
      expect([answers[2 * i].status, answers[2 * i + 1].status].sort()).toEqual([201, 409]);
    }
    const storedIds = answers.filter((r) => r.status === 201).map((r) => r.body.id as string).sort();
    expect(storedIds).toHaveLength(pairs);
    // Once every record of the hub is delivered, nothing more can be sent.
    await pollUntil(async () => {
      const page = await app.stores.deliveries.list(hubId, { filter: [], offset: 0, limit: 1000 });
      return page.total === pairs && page.items.every((d) => d.status === 'delivered') ? true : undefined;
    }, 10_000, `${pairs} delivered records`);
    const received = receiver.requestsTo('/orders').map((r) => JSON.parse(r.body).id as string).sort();
    expect(received).toEqual(storedIds);
  });

  describe('the reads before staging, and the topic\'s sequence beside it', () => {
    const BASE = 'http://hub.test/tmf-api/event/v4';

    /** A hub on fresh stores whose staging and sequence calls are traced (and may be made to fail). */
    async function traced(hub: Record<string, unknown>) {
      const stores = await freshStores();
      const app = await buildTestApp({ stores });
      apps.push(app);
      const topicId = (await app.client.post(`${API}/topic`, { name: 'orders' })).body.id as string;
      await app.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/orders'), ...hub });
      const trace: string[] = [];
      const failures: { stage?: Error; sequence?: Error } = {};
      const insertMany = stores.deliveries.insertMany.bind(stores.deliveries);
      const nextSequence = stores.events.nextSequence.bind(stores.events);
      stores.deliveries.insertMany = async (deliveries) => {
        trace.push('stage');
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (failures.stage) throw failures.stage;
        await insertMany(deliveries);
        trace.push('staged');
      };
      stores.events.nextSequence = async (scope) => {
        trace.push('sequence');
        if (failures.sequence) throw failures.sequence;
        return nextSequence(scope);
      };
      const publish = () => app.services.events.publish(topicId, { eventType: 'ProductOrderCreateEvent', event: { productOrder: { id: 'PO-1' } } }, BASE);
      return { app, stores, topicId, trace, failures, publish };
    }

    it('should take the sequence of a publish with an ordered record only once the records are staged (they hold their keys)', async () => {
      const { trace, publish, stores } = await traced({ ordering: { key: 'event.productOrder.id' } });
      await publish();
      expect(trace).toEqual(['stage', 'staged', 'sequence']);
      expect((await stores.deliveries.claimDue(claimAll())).map((d) => d.sequence)).toEqual([1]);
    });

    it('should take the sequence of a publish without ordered records while its records are staged', async () => {
      const { trace, publish, stores } = await traced({});
      await publish();
      expect(trace).toEqual(['stage', 'sequence', 'staged']);
      expect((await stores.deliveries.claimDue(claimAll())).map((d) => d.sequence)).toEqual([1]);
    });

    it.each([
      ['the sequence cannot be taken while the records are staged', 'sequence'],
      ['the staging fails while the sequence is taken', 'stage'],
    ] as const)('should store nothing and keep no record when %s', async (_, failing) => {
      const { failures, publish, stores, topicId } = await traced({});
      failures[failing] = new Error(`the store refused the ${failing}`);
      await expect(publish()).rejects.toThrow(`the store refused the ${failing}`);
      expect(await stores.deliveries.listStaged(Date.now() + 60_000, 10)).toEqual([]);
      expect(await stores.deliveries.claimDue(claimAll())).toEqual([]);
      expect((await stores.events.list(topicId, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
    });

    it('should read whether a producer\'s eventId is taken, and not read it for one the hub fills in', async () => {
      const { app, stores, publish, topicId } = await traced({});
      const asked: unknown[] = [];
      const findIdByUnique = stores.events.findIdByUnique.bind(stores.events);
      stores.events.findIdByUnique = async (scope, value) => {
        asked.push(value);
        return findIdByUnique(scope, value);
      };
      await publish();
      expect(asked).toEqual([]);
      expect((await app.client.post(`${API}/topic/${topicId}/event`, { eventId: 'given-1' })).status).toBe(201);
      expect(asked).toEqual(['given-1']);
    });

    it('should refuse an unknown topic (404) first, whatever the reads beside it met', async () => {
      const { app, stores } = await traced({});
      stores.hubs.list = async () => Promise.reject(new Error('the hubs could not be read'));
      stores.events.findIdByUnique = async () => Promise.reject(new Error('the eventId could not be read'));
      const res = await app.client.post(`${API}/topic/no-such-topic/event`, { eventId: 'e-1' });
      expect(res.status).toBe(404);
      expect(await stores.deliveries.listStaged(Date.now() + 60_000, 10)).toEqual([]);
    });
  });

  describe('topic notifications (TopicCreateEvent, TopicDeleteEvent)', () => {
    const BASE = 'http://hub.test/tmf-api/event/v4';

    it('should let nothing be claimed while a topic create waits to store its topic, then release the notification', async () => {
      const stores = await freshStores();
      const { services } = await buildTestApp({ stores });
      await services.listeners.register({ callback: receiver.url('/listener') }, 'localhost');
      const insert = stores.topics.insert.bind(stores.topics);
      let hold!: () => void;
      let held!: () => void;
      const reached = new Promise<void>((resolve) => (held = resolve));
      stores.topics.insert = async (scope: string, resource: Resource) => {
        held();
        await new Promise<void>((resolve) => (hold = resolve));
        return insert(scope, resource);
      };
      const created = services.topics.create({ name: 'held' }, BASE);
      await reached;
      // The notification is written, staged: nothing of it can be claimed before the topic exists.
      expect((await stores.deliveries.listStaged(Date.now() + 1, 10)).map((d) => d.eventType)).toEqual(['TopicCreateEvent']);
      expect(await stores.deliveries.claimDue(claimAll())).toEqual([]);
      hold();
      const topic = await created;
      const claimed = await stores.deliveries.claimDue(claimAll());
      expect(claimed.map((d) => [d.eventType, d.hubKind, d.topicId])).toEqual([['TopicCreateEvent', 'listener', topic.id]]);
    });

    it('should keep no notification of a topic create whose insert fails', async () => {
      const stores = await freshStores();
      const { services } = await buildTestApp({ stores });
      await services.listeners.register({ callback: receiver.url('/listener') }, 'localhost');
      stores.topics.insert = async () => Promise.reject(new Error('the store refused the topic'));
      await expect(services.topics.create({ name: 'refused' }, BASE)).rejects.toThrow('the store refused the topic');
      expect(await stores.deliveries.listStaged(Date.now() + 1, 10)).toEqual([]);
      expect(await stores.deliveries.claimDue(claimAll())).toEqual([]);
    });

    it('should keep no notification of a topic delete that fails, and release it once the delete succeeds', async () => {
      const stores = await freshStores();
      const { services } = await buildTestApp({ stores });
      const topic = await services.topics.create({ name: 'kept' }, BASE);
      await services.listeners.register({ callback: receiver.url('/listener') }, 'localhost');
      const remove = stores.topics.delete.bind(stores.topics);
      stores.topics.delete = async () => Promise.reject(new Error('the store is away'));
      await expect(services.topics.delete(topic.id, BASE)).rejects.toThrow('the store is away');
      expect(await stores.deliveries.claimDue(claimAll())).toEqual([]);
      stores.topics.delete = remove;
      await services.topics.delete(topic.id, BASE);
      expect((await stores.deliveries.claimDue(claimAll())).map((d) => d.eventType)).toEqual(['TopicDeleteEvent']);
    });
  });

  describe('the staged sweeper (what a crash between staging and release leaves)', () => {
    const GRACE = 1_000;

    function staged(id: string, eventResourceId: string, topicId: string, at: number): Delivery {
      return {
        id, hubKind: 'topic', hubId: 'hub-1', topicId, eventId: id, eventResourceId, url: 'http://127.0.0.1:9/x',
        payload: '{}', status: 'staged', failures: 0, attempts: [], nextAttemptAt: at, createdAt: new Date(at).toISOString(),
      };
    }

    it('should release the records of a stored event, delete those of an event never stored, and leave young ones', async () => {
      const stores = await freshStores();
      const now = Date.now();
      await stores.events.insert('t1', { id: 'stored-event', eventId: 'e1' }, undefined, 7);
      await stores.deliveries.insertMany([
        staged('d-stored', 'stored-event', 't1', now - 5_000),
        staged('d-stored-2', 'stored-event', 't1', now - 5_000),
        staged('d-lost', 'never-stored', 't1', now - 5_000),
        staged('d-young', 'in-flight', 't1', now),
      ]);
      const { services } = await buildTestApp({ stores });
      const sweep = () => sweepStaged({ store: stores.deliveries, outcome: (d) => services.stagedOutcome(d), graceMs: GRACE, batchSize: 2, now });
      await expect(sweep()).resolves.toEqual({ released: 2, deleted: 1 });
      const claimed = await stores.deliveries.claimDue(claimAll());
      expect(claimed.map((d) => d.id).sort()).toEqual(['d-stored', 'd-stored-2']);
      // Released with the stored event's sequence, as the publish would have.
      expect(claimed.map((d) => d.sequence)).toEqual([7, 7]);
      expect((await stores.deliveries.listStaged(now + 1, 10)).map((d) => d.id)).toEqual(['d-young']);
      await expect(sweep()).resolves.toEqual({ released: 0, deleted: 0 });
    });

    it('should settle topic notifications by whether the change they announce happened', async () => {
      const stores = await freshStores();
      const now = Date.now();
      await stores.topics.insert('', { id: 'existing', name: 'x' });
      const notification = (id: string, eventType: string, topicId: string): Delivery => ({
        ...staged(id, `n-${id}`, topicId, now - 5_000), hubKind: 'listener', hubId: 'listener-1', eventType,
      });
      await stores.deliveries.insertMany([
        notification('created', 'TopicCreateEvent', 'existing'),
        notification('create-failed', 'TopicCreateEvent', 'missing'),
        notification('deleted', 'TopicDeleteEvent', 'missing'),
        notification('delete-failed', 'TopicDeleteEvent', 'existing'),
      ]);
      const { services } = await buildTestApp({ stores });
      await expect(sweepStaged({ store: stores.deliveries, outcome: (d) => services.stagedOutcome(d), graceMs: GRACE, now })).resolves.toEqual({ released: 2, deleted: 2 });
      expect((await stores.deliveries.claimDue(claimAll())).map((d) => d.id).sort()).toEqual(['created', 'deleted']);
      expect(await stores.deliveries.listStaged(now + 1, 10)).toEqual([]);
    });

    it('should log and keep going when the store fails, settling nothing (the scheduled job)', async () => {
      const lines: string[] = [];
      const stores = await freshStores();
      const deliveries = new Proxy(stores.deliveries, {
        get: (target, name) => {
          if (name === 'listStaged') return async () => Promise.reject(new Error('down'));
          const value = Reflect.get(target, name);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const failing = { ...stores, deliveries };
      const hub = await buildTestApp({ stores: failing, logger: createLogger('warn', (line) => lines.push(line)), worker: {} });
      try {
        await expect(hub.scheduler.run('staged outbox sweep')).resolves.toBeUndefined();
        expect(lines.join('')).toContain('staged outbox sweep failed; will retry at the next run');
      } finally {
        await hub.stop();
      }
    });
  });
});
