import { randomUUID } from 'node:crypto';
import { TOP_LEVEL, type ListQuery, type Page, type Resource, type Stores } from '../store/store-types';
import type { DeliveryNotifier } from './delivery-notifier';
import { BadRequestError, NotFoundError } from '../errors';
import { readTopicSource, type EventSources } from './event-source';
import type { FanOut, FanOutContext } from './fan-out';
import { links, withHref } from './links';
import { listAll } from './list-all';
import { newResource } from './new-resource';
import { compileContentQuery, compileQuery } from '../query/hub-query';

export const TOPIC_TYPE = 'Topic';

type TopicStores = Pick<Stores, 'topics' | 'events' | 'hubs' | 'listeners' | 'deliveries'>;

/**
 * Topics: the channels events are published to. Creating and deleting one notifies the API-level
 * listeners (POST /hub) with TopicCreateEvent / TopicDeleteEvent; deleting one removes its hubs,
 * their pending deliveries and its events.
 */
export class TopicService {
  constructor(
    private readonly stores: TopicStores,
    private readonly fanOut: FanOut,
    private readonly notifier: DeliveryNotifier,
    private readonly now: () => Date = () => new Date(),
    /** Feeds topics that have a `source` (the Kafka bridge); absent when none is configured. */
    private readonly sources?: EventSources,
  ) {}

  async create(input: Record<string, unknown>, baseUrl: string): Promise<Resource> {
    compileQuery(input.headerQuery as string | undefined, 'headerQuery');
    compileContentQuery(input.contentQuery as string | undefined);
    if (input.source !== undefined) {
      const source = readTopicSource(input.source, this.sources);
      if (typeof source === 'string') throw new BadRequestError(source);
      input = { ...input, source };
    }
    const topic = newResource(input, TOPIC_TYPE);
    // The outbox records go first: once the topic exists, its notification cannot be lost.
    const notification = this.topicNotification('TopicCreateEvent', topic, baseUrl);
    const deliveries = await this.fanOut.forListeners(this.stores.listeners, notification, await this.notificationContext(baseUrl, topic.id));
    await this.stores.deliveries.insertMany(deliveries);
    await this.stores.topics.insert(TOP_LEVEL, topic);
    if (deliveries.length) this.notifier.notify();
    if (topic.source !== undefined) this.sources?.changed();
    return topic;
  }

  /** The topics that read their events from a source (up to 1000: sources are configuration, not data). */
  async withSources(): Promise<Resource[]> {
    const filter = [{ path: ['source', 'kafka'], op: 'regex' as const, values: ['.'], regex: /./ }];
    return (await this.stores.topics.list(TOP_LEVEL, { filter, offset: 0, limit: 1000 })).items;
  }

  list(query: ListQuery): Promise<Page> {
    return this.stores.topics.list(TOP_LEVEL, query);
  }

  async get(id: string, fields?: readonly string[]): Promise<Resource> {
    const topic = await this.stores.topics.get(TOP_LEVEL, id, fields);
    if (!topic) throw new NotFoundError(`Topic ${id} does not exist`);
    return topic;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.stores.topics.get(TOP_LEVEL, id, ['id'])) !== undefined;
  }

  /** Resolves when the topic exists; the 404 for any resource nested under an unknown topic. */
  async assertExists(id: string): Promise<void> {
    await this.get(id, ['id']);
  }

  async delete(id: string, baseUrl: string): Promise<void> {
    const topic = await this.get(id);
    const notification = this.topicNotification('TopicDeleteEvent', topic, baseUrl);
    const deliveries = await this.fanOut.forListeners(this.stores.listeners, notification, await this.notificationContext(baseUrl, topic.id));
    await this.stores.deliveries.insertMany(deliveries);
    // Children first: a crash half-way leaves a topic that can be deleted again, never orphans.
    for (const hub of await listAll(this.stores.hubs, id)) await this.stores.deliveries.deleteByHub(hub.id);
    await this.stores.hubs.deleteScope(id);
    await this.stores.events.deleteScope(id);
    await this.stores.topics.delete(TOP_LEVEL, id);
    if (deliveries.length) this.notifier.notify();
    if (topic.source !== undefined) this.sources?.changed();
  }

  /**
   * What the API's own notifications carry: the topic as source, and the next number of their own
   * sequence (ordered POST /hub registrations receive them in that order).
   */
  private async notificationContext(baseUrl: string, topicId: string): Promise<FanOutContext> {
    return { source: links.topic(baseUrl, topicId), sequence: await this.stores.listeners.nextSequence(TOP_LEVEL) };
  }

  private topicNotification(eventType: string, topic: Resource, baseUrl: string): Record<string, unknown> {
    const eventId = randomUUID();
    return {
      id: eventId,
      eventId,
      eventTime: this.now().toISOString(),
      eventType,
      event: { topic: withHref(topic, links.topic(baseUrl, topic.id)) },
    };
  }
}
