import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import { NotFoundError } from './errors';
import { newResource } from './new-resource';
import type { TopicService } from './topic-service';
import { validateHubQuery } from './validate-hub-query';

export const HUB_TYPE = 'Hub';

/** Hubs of a topic: the listener callbacks that the topic's events are delivered to. */
export class HubService {
  constructor(
    private readonly stores: Pick<Stores, 'hubs'>,
    private readonly topics: TopicService,
  ) {}

  async create(topicId: string, input: Record<string, unknown>): Promise<Resource> {
    await this.topics.assertExists(topicId);
    validateHubQuery(input.query);
    const hub = newResource(input, HUB_TYPE);
    await this.stores.hubs.insert(topicId, hub);
    return hub;
  }

  async list(topicId: string, query: ListQuery): Promise<Page> {
    await this.topics.assertExists(topicId);
    return this.stores.hubs.list(topicId, query);
  }

  async get(topicId: string, id: string, fields?: readonly string[]): Promise<Resource> {
    await this.topics.assertExists(topicId);
    const hub = await this.stores.hubs.get(topicId, id, fields);
    if (!hub) throw new NotFoundError(`Hub ${id} does not exist in topic ${topicId}`);
    return hub;
  }

  async delete(topicId: string, id: string): Promise<void> {
    await this.topics.assertExists(topicId);
    if (!(await this.stores.hubs.delete(topicId, id))) {
      throw new NotFoundError(`Hub ${id} does not exist in topic ${topicId}`);
    }
  }
}
