import type { Principal } from '../access/principal';
import { NotFoundError } from '../errors';
import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import type { TopicService } from './topic-service';

/**
 * The latest state of each resource of a topic (issue 28): what its poll source last read, kept in
 * the `states` store with the topic as scope. Read with the topic's own permission and scopes.
 */
export class StateService {
  constructor(
    private readonly stores: Pick<Stores, 'states'>,
    private readonly topics: Pick<TopicService, 'assertExists'>,
  ) {}

  async list(topicId: string, query: ListQuery, actor?: Principal): Promise<Page> {
    await this.topics.assertExists(topicId, actor);
    return this.stores.states.list(topicId, query);
  }

  async get(topicId: string, resourceId: string, fields?: readonly string[], actor?: Principal): Promise<Resource> {
    await this.topics.assertExists(topicId, actor);
    const state = await this.stores.states.get(topicId, resourceId, fields);
    if (!state) throw new NotFoundError(`Topic ${topicId} holds no state of resource ${resourceId}`);
    return state;
  }
}
