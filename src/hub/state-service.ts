import type { Principal } from '../access/principal';
import { NotFoundError } from '../errors';
import { TOP_LEVEL, type ListQuery, type Page, type Resource, type Stores } from '../store/store-types';
import type { TopicService } from './topic-service';

/**
 * The latest state of each resource of a topic (issue 28): what its poll source last read, kept in
 * the `states` store with the topic as scope. Read with the topic's own permission and scopes.
 */
export class StateService {
  constructor(
    private readonly stores: Pick<Stores, 'states' | 'topics'>,
    private readonly topics: Pick<TopicService, 'assertExists'>,
  ) {}

  async list(topicId: string, query: ListQuery, actor?: Principal): Promise<Page> {
    await this.topics.assertExists(topicId, actor);
    return this.stores.states.list(topicId, query);
  }

  /**
   * HUB_EVENT_RETENTION for the states of keepState topics: deletes up to `limit` states stored (last
   * changed) before `cutoff`. A poll source's states are not swept: they mirror the polled list, and
   * the poller deletes those gone from it (a state swept would come back as a CreateEvent).
   */
  async deleteKeptBefore(cutoff: number, limit: number): Promise<number> {
    const filter = [{ path: ['keepState'], op: 'eq' as const, values: ['true'] }];
    const { items: topics } = await this.stores.topics.list(TOP_LEVEL, { filter, offset: 0, limit: 1000, fields: ['id'] });
    let deleted = 0;
    for (const topic of topics) {
      const { items } = await this.stores.states.listStoredBetween(topic.id, 0, cutoff - 1, 0, limit - deleted);
      for (const { resource } of items) if (await this.stores.states.delete(topic.id, resource.id)) deleted += 1;
      if (deleted >= limit) break;
    }
    return deleted;
  }

  async get(topicId: string, resourceId: string, fields?: readonly string[], actor?: Principal): Promise<Resource> {
    await this.topics.assertExists(topicId, actor);
    const state = await this.stores.states.get(topicId, resourceId, fields);
    if (!state) throw new NotFoundError(`Topic ${topicId} holds no state of resource ${resourceId}`);
    return state;
  }
}
