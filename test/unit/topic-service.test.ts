import { FanOut } from '../../src/hub/fan-out';
import { TopicService } from '../../src/hub/topic-service';
import { TOP_LEVEL } from '../../src/store/store-types';
import { buildTestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';

describe('TopicService.delete', () => {
  it('should remove the pending deliveries of every hub of the topic, beyond the first page of 1000', async () => {
    const { stores, cleanup } = await createTestStores();
    try {
      const { services } = await buildTestApp({ stores });
      const base = 'http://hub.test/tmf-api/event/v4';
      const topic = await services.topics.create({ name: 'many' }, base);
      for (let i = 0; i < 1005; i++) await services.hubs.create(topic.id, { callback: `http://127.0.0.1:9/${i}` }, 'localhost');
      await services.events.publish(topic.id, { eventType: 'X' }, base);
      expect((await stores.deliveries.pendingStats()).count).toBe(1005);
      await services.topics.delete(topic.id, base);
      expect((await stores.deliveries.pendingStats()).count).toBe(0);
      expect((await stores.hubs.list(topic.id, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
    } finally {
      await cleanup();
    }
  });
});

describe('TopicService and a poll source', () => {
  it('should keep the credentials apart from the topic, and forget the cached token, the states and the record with it', async () => {
    const { stores, cleanup } = await createTestStores();
    const removed: string[] = [];
    try {
      const topics = new TopicService({ stores, fanOut: new FanOut({ targets: { isBroker: () => false }, listenerSuffix: false }), notifier: { notify: () => undefined }, hubRemoved: (id) => void removed.push(id) });
      const base = 'http://hub.test/tmf-api/event/v4';
      const auth = { type: 'oauth2' as const, tokenUrl: 'https://sso.example/token', clientId: 'hub', clientSecret: 's3cret' };
      const topic = await topics.create({ name: 'polled', source: { poll: 'https://orders.example/productOrder', auth } }, base);
      expect(JSON.stringify(await stores.topics.get(TOP_LEVEL, topic.id))).not.toContain('s3cret');
      expect((await stores.polls.get(topic.id))?.auth).toEqual(auth);
      await stores.states.insert(topic.id, { id: 'o1' });
      await topics.delete(topic.id, base);
      expect(removed).toEqual([`poll:${topic.id}`]);
      expect(await stores.polls.get(topic.id)).toBeUndefined();
      expect(await stores.states.get(topic.id, 'o1')).toBeUndefined();
    } finally {
      await cleanup();
    }
  });
});
