import type { Delivery } from '../../src/store/delivery-types';
import { MAX_DOCUMENT_BYTES } from '../../src/store/mongo/document-refusal';
import { DocumentRefusedError } from '../../src/store/store-errors';
import type { Stores } from '../../src/store/store-types';
import { createTestStores, MONGODB_URL } from '../helpers/test-stores';

/** The MongoDB stores refuse what MongoDB cannot hold as DocumentRefusedError, and write none of it. */
const describeMongo = MONGODB_URL ? describe : describe.skip;

describeMongo('mongodb stores: documents the database refuses', () => {
  let stores: Stores;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ stores, cleanup } = await createTestStores());
  });

  afterEach(async () => {
    await cleanup();
  });

  const outbox = (id: string, payload: string): Delivery => ({
    id,
    hubKind: 'topic',
    hubId: 'h1',
    topicId: 't1',
    eventId: 'e1',
    eventResourceId: 'r1',
    url: 'http://listener.test/cb',
    payload,
    status: 'pending',
    failures: 0,
    attempts: [],
    nextAttemptAt: 0,
    createdAt: new Date(0).toISOString(),
  });

  it('should refuse a resource with a NUL in a field name, naming its path, and store nothing', async () => {
    const insert = stores.events.insert('t1', { id: 'r1', eventId: 'e1', event: { items: [{ 'a\u0000b': 1 }] } });
    await expect(insert).rejects.toThrow(DocumentRefusedError);
    await expect(insert).rejects.toMatchObject({ path: 'event.items.0."a\\u0000b"' });
    expect(await stores.events.get('t1', 'r1')).toBeUndefined();
  });

  it('should refuse an oversized resource before sending it, and store nothing', async () => {
    const insert = stores.topics.insert('', { id: 'big', name: 'x'.repeat(MAX_DOCUMENT_BYTES) });
    await expect(insert).rejects.toThrow(DocumentRefusedError);
    await expect(insert).rejects.toMatchObject({ path: undefined });
    expect(await stores.topics.get('', 'big')).toBeUndefined();
  });

  it('should refuse a batch of deliveries holding one oversized delivery as a whole', async () => {
    const batch = [outbox('d1', '{}'), outbox('d2', 'x'.repeat(MAX_DOCUMENT_BYTES)), outbox('d3', '{}')];
    await expect(stores.deliveries.insertMany(batch)).rejects.toThrow(DocumentRefusedError);
    expect((await stores.deliveries.list('h1', { filter: [], offset: 0, limit: 10 })).total).toBe(0);
  });
});

if (!MONGODB_URL) {
  describe.skip('mongodb stores: documents the database refuses (set MONGODB_URL to run)', () => {
    it('runs against MongoDB', () => undefined);
  });
}
