import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import { NotFoundError } from '../errors';
import { newResource } from './new-resource';
import { validateSubscription, type SubscriptionChecks } from './validate-subscription';
import { rotateStoredSecret, withoutSecret, type SecretRotationPolicy } from './subscriber-secret';
import type { TopicService } from './topic-service';

export const HUB_TYPE = 'Hub';

/** Hubs of a topic: the listener callbacks that the topic's events are delivered to. */
export class HubService {
  constructor(
    private readonly stores: Pick<Stores, 'hubs' | 'deliveries'>,
    private readonly topics: TopicService,
    private readonly checks: SubscriptionChecks,
    private readonly rotation: SecretRotationPolicy,
  ) {}

  /** `origin` is the host name the hub is reached by: the CloudEvents handshake's WebHook-Request-Origin. */
  async create(topicId: string, input: Record<string, unknown>, origin: string): Promise<Resource> {
    await this.topics.assertExists(topicId);
    const granted = await validateSubscription(input, this.checks, origin);
    const hub = newResource({ ...input, ...granted }, HUB_TYPE);
    await this.stores.hubs.insert(topicId, hub);
    return withoutSecret(hub);
  }

  async list(topicId: string, query: ListQuery): Promise<Page> {
    await this.topics.assertExists(topicId);
    const page = await this.stores.hubs.list(topicId, query);
    return { ...page, items: page.items.map(withoutSecret) };
  }

  async get(topicId: string, id: string, fields?: readonly string[]): Promise<Resource> {
    await this.topics.assertExists(topicId);
    const hub = await this.stores.hubs.get(topicId, id, fields);
    if (!hub) throw new NotFoundError(`Hub ${id} does not exist in topic ${topicId}`);
    return withoutSecret(hub);
  }

  /** Sets a new signing secret; the previous one keeps signing for the rotation grace. */
  async rotateSecret(topicId: string, id: string, secret: string): Promise<Resource> {
    await this.topics.assertExists(topicId);
    const hub = await rotateStoredSecret(this.stores.hubs, topicId, id, secret, this.rotation);
    if (!hub) throw new NotFoundError(`Hub ${id} does not exist in topic ${topicId}`);
    return hub;
  }

  async delete(topicId: string, id: string): Promise<void> {
    await this.topics.assertExists(topicId);
    if (!(await this.remove(topicId, id))) throw new NotFoundError(`Hub ${id} does not exist in topic ${topicId}`);
  }

  /** Removes a hub and its deliveries; false when it was already gone (also used when a listener answers 410). */
  async remove(topicId: string, id: string): Promise<boolean> {
    const removed = await this.stores.hubs.delete(topicId, id);
    await this.stores.deliveries.deleteByHub(id);
    return removed;
  }
}
