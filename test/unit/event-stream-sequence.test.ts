import { EventFeed } from '../../src/hub/event-feed';
import { EventStreamService, type StreamedEvent } from '../../src/hub/event-stream-service';
import type { TopicService } from '../../src/hub/topic-service';
import type { Stores } from '../../src/store/store-types';
import { memoryStores } from '../helpers/test-stores';

/** Tails read by sequence: a later number stored first waits for the earlier one, within the grace. */
describe('live tails by sequence', () => {
  let stores: Stores;
  let feed: EventFeed;
  const topics = { assertExists: async () => undefined, exists: async () => true } as unknown as TopicService;
  const service = (gapGraceMs: number) => new EventStreamService(stores, topics, feed, { pollMs: 20, heartbeatMs: 15_000, gapGraceMs });

  beforeEach(() => {
    stores = memoryStores();
    feed = new EventFeed();
  });

  const store = async (id: string, sequence: number) => {
    await stores.events.insert('t', { id, eventId: id }, undefined, sequence);
    feed.published('t', { id });
  };

  /** Reads `count` events of a tail, then stops it. */
  async function take(open: (signal: AbortSignal) => AsyncGenerator<StreamedEvent>, count: number): Promise<string[]> {
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of open(controller.signal)) {
      seen.push(event.id!);
      if (seen.length === count) break;
    }
    controller.abort();
    return seen;
  }

  it('should wait for a sequence stored late (another publish still storing it) and show both in order', async () => {
    const open = await service(5_000).open({ topicId: 't', baseUrl: 'http://h' });
    const seen = take(open, 2);
    await store('second', 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store('first', 1);
    await expect(seen).resolves.toEqual(['first', 'second']);
  });

  it('should move past a number that is never stored once the grace has passed', async () => {
    const open = await service(150).open({ topicId: 't', baseUrl: 'http://h' });
    const started = Date.now();
    const seen = take(open, 2);
    await store('after-gap', 2);
    await store('next', 3);
    await expect(seen).resolves.toEqual(['after-gap', 'next']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('should resume after Last-Event-ID by sequence, and start after the highest sequence without one', async () => {
    await store('a', 1);
    await store('c', 3);
    await store('b', 2);
    await expect(take(await service(50).open({ topicId: 't', baseUrl: 'http://h', lastEventId: 'a' }), 2)).resolves.toEqual(['b', 'c']);
    const live = take(await service(50).open({ topicId: 't', baseUrl: 'http://h' }), 1);
    await store('d', 4);
    await expect(live).resolves.toEqual(['d']);
  });

  it('should treat an event stored without a sequence as older than every sequenced one', async () => {
    await stores.events.insert('t', { id: 'legacy', eventId: 'legacy' });
    await store('one', 1);
    await expect(take(await service(50).open({ topicId: 't', baseUrl: 'http://h', lastEventId: 'legacy' }), 1)).resolves.toEqual(['one']);
  });
});
