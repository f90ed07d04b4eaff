import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import { BadRequestError, NotFoundError } from './errors';
import { newResource } from './new-resource';
import { parseFilterString } from './query/parse-filter';

export const TOPIC_TYPE = 'Topic';

/** Topics: the channels events are published to. Deleting one removes its hubs and events. */
export class TopicService {
  constructor(private readonly stores: Pick<Stores, 'topics' | 'events' | 'hubs'>) {}

  async create(input: Record<string, unknown>): Promise<Resource> {
    for (const attribute of ['headerQuery', 'contentQuery'] as const) {
      const query = input[attribute];
      if (typeof query === 'string') {
        try {
          parseFilterString(query);
        } catch (err) {
          throw new BadRequestError(`${attribute}: ${(err as Error).message}`, 'Invalid query');
        }
      }
    }
    const topic = newResource(input, TOPIC_TYPE);
    await this.stores.topics.insert('', topic);
    return topic;
  }

  list(query: ListQuery): Promise<Page> {
    return this.stores.topics.list('', query);
  }

  async get(id: string, fields?: readonly string[]): Promise<Resource> {
    const topic = await this.stores.topics.get('', id, fields);
    if (!topic) throw new NotFoundError(`Topic ${id} does not exist`);
    return topic;
  }

  /** Resolves when the topic exists; the 404 for any resource nested under an unknown topic. */
  async assertExists(id: string): Promise<void> {
    await this.get(id, ['id']);
  }

  async delete(id: string): Promise<void> {
    await this.assertExists(id);
    // Children first: a crash half-way leaves a topic that can be deleted again, never orphans.
    await this.stores.hubs.deleteScope(id);
    await this.stores.events.deleteScope(id);
    await this.stores.topics.delete('', id);
  }
}
