import { randomUUID } from 'node:crypto';
import { DuplicateKeyError } from '../store/store-errors';
import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import { ConflictError, NotFoundError } from './errors';
import { newResource } from './new-resource';
import type { TopicService } from './topic-service';

export const EVENT_TYPE = 'Event';

/** Events published to a topic. `eventId` is unique within a topic and filled in when absent. */
export class EventService {
  constructor(
    private readonly stores: Pick<Stores, 'events'>,
    private readonly topics: TopicService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async publish(topicId: string, input: Record<string, unknown>): Promise<Resource> {
    await this.topics.assertExists(topicId);
    const event = newResource(input, EVENT_TYPE);
    event.eventId ??= randomUUID();
    event.eventTime ??= this.now().toISOString();
    try {
      await this.stores.events.insert(topicId, event);
    } catch (err) {
      if (err instanceof DuplicateKeyError) {
        throw new ConflictError(`An event with eventId ${JSON.stringify(event.eventId)} already exists in topic ${topicId}`);
      }
      throw err;
    }
    return event;
  }

  async list(topicId: string, query: ListQuery): Promise<Page> {
    await this.topics.assertExists(topicId);
    return this.stores.events.list(topicId, query);
  }

  async get(topicId: string, id: string, fields?: readonly string[]): Promise<Resource> {
    await this.topics.assertExists(topicId);
    const event = await this.stores.events.get(topicId, id, fields);
    if (!event) throw new NotFoundError(`Event ${id} does not exist in topic ${topicId}`);
    return event;
  }
}
