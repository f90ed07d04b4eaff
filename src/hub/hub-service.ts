import type { Principal } from '../access/principal';
import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import { NotFoundError } from '../errors';
import { asAsked, fieldsToJudge, OWNER_ATTRIBUTE, ownedInput, ownerClauses, sees } from './hub-ownership';
import type { HubQuota } from './hub-quota';
import { newResource } from './new-resource';
import { validateSubscription, type SubscriptionChecks } from './validate-subscription';
import { replaceStoredCredentials } from './replace-credentials';
import { credentialsOf, rotateStoredSecret, withoutSecret, type SecretRotationPolicy } from './subscriber-secret';
import type { TopicService } from './topic-service';

export const HUB_TYPE = 'Hub';

/**
 * Hubs of a topic: the listener callbacks that the topic's events are delivered to. Each method
 * takes the `actor` it acts for: a topic out of its scopes is a 403, and for anyone but an admin
 * another principal's hub does not exist (404). No actor is the hub itself (seeds, the worker).
 */
export class HubService {
  constructor(
    private readonly stores: Pick<Stores, 'hubs' | 'deliveries'>,
    private readonly topics: TopicService,
    private readonly checks: SubscriptionChecks,
    private readonly rotation: SecretRotationPolicy,
    private readonly quota: HubQuota,
  ) {}

  /**
   * `origin` is the host name the hub is reached by: the CloudEvents handshake's WebHook-Request-Origin.
   * The actor becomes its owner, unless the hub makes it for someone else (`owner`: an ODA component).
   */
  async create(topicId: string, input: Record<string, unknown>, origin: string, actor?: Principal, owner?: string): Promise<Resource> {
    await this.topics.assertExists(topicId, actor, 'hub:manage');
    await this.quota.assertRoom(actor);
    const attributes = await validateSubscription(input, this.checks, origin);
    const owned = ownedInput(attributes, actor);
    const hub = newResource(owner === undefined ? owned : { ...owned, [OWNER_ATTRIBUTE]: owner }, HUB_TYPE);
    await this.stores.hubs.insert(topicId, hub);
    this.checks.credentialsChanged?.(hub.id, credentialsOf(hub));
    return withoutSecret(hub);
  }

  /** The hubs of the topic `actor` sees: its own (filtered in the store), or every one for an admin. */
  async list(topicId: string, query: ListQuery, actor?: Principal): Promise<Page> {
    await this.topics.assertExists(topicId, actor, 'hub:manage');
    const own = ownerClauses(actor);
    const page = await this.stores.hubs.list(topicId, own.length ? { ...query, filter: [...query.filter, ...own] } : query);
    return { ...page, items: page.items.map(withoutSecret) };
  }

  async get(topicId: string, id: string, fields?: readonly string[], actor?: Principal): Promise<Resource> {
    await this.topics.assertExists(topicId, actor, 'hub:manage');
    const hub = await this.stores.hubs.get(topicId, id, fieldsToJudge(actor, fields));
    if (!hub || !sees(actor, hub)) throw this.notFound(topicId, id);
    return withoutSecret(asAsked(hub, fields));
  }

  /** Sets a new signing secret; the previous one keeps signing for the rotation grace. */
  async rotateSecret(topicId: string, id: string, secret: string, actor?: Principal): Promise<Resource> {
    await this.topics.assertExists(topicId, actor, 'hub:manage');
    const hub = await rotateStoredSecret(this.stores.hubs, topicId, id, secret, this.rotation, actor);
    if (!hub) throw this.notFound(topicId, id);
    return hub;
  }

  /** Replaces the credentials the hub's listener requires (auth, tls, headers): the next attempt carries them. */
  async replaceCredentials(topicId: string, id: string, input: Record<string, unknown>, actor?: Principal): Promise<Resource> {
    await this.topics.assertExists(topicId, actor, 'hub:manage');
    const hub = await replaceStoredCredentials(this.stores.hubs, topicId, id, input, this.checks, actor);
    if (!hub) throw this.notFound(topicId, id);
    return hub;
  }

  async delete(topicId: string, id: string, actor?: Principal): Promise<void> {
    // get() is the check: the hub exists and is the actor's to see.
    await this.get(topicId, id, ['id'], actor);
    if (!(await this.remove(topicId, id))) throw this.notFound(topicId, id);
  }

  /** Removes a hub and its deliveries; false when it was already gone (also used when a listener answers 410). */
  async remove(topicId: string, id: string): Promise<boolean> {
    const removed = await this.stores.hubs.delete(topicId, id);
    await this.stores.deliveries.deleteByHub(id);
    this.checks.credentialsChanged?.(id, undefined);
    return removed;
  }

  private notFound(topicId: string, id: string): NotFoundError {
    return new NotFoundError(`Hub ${id} does not exist in topic ${topicId}`);
  }
}
