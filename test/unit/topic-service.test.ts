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
