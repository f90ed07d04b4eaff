import { randomUUID } from 'node:crypto';
import type { Permission } from '../access/permissions';
import type { Principal } from '../access/principal';
import { TOP_LEVEL, type ListQuery, type Page, type Resource, type Stores } from '../store/store-types';
import type { DeliveryNotifier } from './delivery-notifier';
import { BadRequestError, NotFoundError } from '../errors';
import { readAnySource, sourceBroker, type EventSources } from './event-source';
import type { FanOut, FanOutContext } from './fan-out';
import { links, withHref } from './links';
import { listAll } from './list-all';
import { newResource } from './new-resource';
import type { ListenerAuth } from '../credentials/listener-credentials';
import { POLL_KEY, pollCredentialKey, type PollSource } from '../poll/poll-source';
import { compileContentQuery, compileQuery } from '../query/hub-query';
import { projectFields } from '../query/project-fields';
import { assertTopicAccess, isScoped, topicScopeClauses } from './topic-access';

export const TOPIC_TYPE = 'Topic';

type TopicStores = Pick<Stores, 'topics' | 'events' | 'hubs' | 'listeners' | 'deliveries' | 'states' | 'polls'>;

/** The API's own notifications, and what each announces of its topic once it is settled. */
export const TOPIC_NOTIFICATIONS = { TopicCreateEvent: 'exists', TopicDeleteEvent: 'gone' } as const;
type TopicNotification = keyof typeof TOPIC_NOTIFICATIONS;

/**
 * Topics: the channels events are published to. Creating and deleting one notifies the API-level
 * listeners (POST /hub) with TopicCreateEvent / TopicDeleteEvent; deleting one removes its hubs,
 * their pending deliveries and its events. The notifications follow the staged outbox protocol of
 * events: staged before the change, released after it, deleted if it fails, so no listener hears
 * of a change that did not happen and none misses one that did (the staged sweeper settles what a
 * crash in between leaves, see notificationSettled).
 */
export class TopicService {
  private readonly stores: TopicStores;
  private readonly fanOut: FanOut;
  private readonly notifier: DeliveryNotifier;
  private readonly now: () => Date;
  /** Feed topics that have a `source` (the broker bridges), by broker; empty when none is configured. */
  private readonly sources: EventSources;
  /** Told of each hub a topic deletion removes, and of its poll source (what this process keeps of their credentials goes). */
  private readonly hubRemoved: (hubId: string) => void;
  /** The callback guard's verdict at creation, asked of a poll source's URL and token endpoint as of a callback. */
  private readonly urlRefusal: (url: string) => Promise<string | undefined>;

  constructor(deps: {
    stores: TopicStores;
    fanOut: FanOut;
    notifier: DeliveryNotifier;
    sources?: EventSources;
    now?: () => Date;
    hubRemoved?: (hubId: string) => void;
    urlRefusal?: (url: string) => Promise<string | undefined>;
  }) {
    this.stores = deps.stores;
    this.urlRefusal = deps.urlRefusal ?? (async () => undefined);
    this.hubRemoved = deps.hubRemoved ?? (() => undefined);
    this.fanOut = deps.fanOut;
    this.notifier = deps.notifier;
    this.sources = deps.sources ?? new Map();
    this.now = deps.now ?? (() => new Date());
  }

  async create(input: Record<string, unknown>, baseUrl: string): Promise<Resource> {
    compileQuery(input.headerQuery as string | undefined, 'headerQuery');
    compileContentQuery(input.contentQuery as string | undefined);
    const read = input.source === undefined ? undefined : readAnySource(input.source, this.sources);
    if (typeof read === 'string') throw new BadRequestError(read);
    const topic = newResource(read ? { ...input, source: read.source } : input, TOPIC_TYPE);
    const polled = sourceBroker(topic.source) === POLL_KEY;
    if (polled && topic.keepState === true) throw new BadRequestError('keepState: a poll source keeps the latest states itself; leave keepState out');
    if (polled) await this.assertPollAllowed((read!.source as PollSource).poll, read!.auth);
    // A poll source's record (its write-only credentials) exists before any poller can see the topic.
    if (polled) await this.stores.polls.create(topic.id, read?.auth as Record<string, unknown> | undefined);
    try {
      await this.notifying('TopicCreateEvent', topic, baseUrl, () => this.stores.topics.insert(TOP_LEVEL, topic));
    } catch (err) {
      if (polled) await this.stores.polls.delete(topic.id).catch(() => undefined);
      throw err;
    }
    this.sourceChanged(topic);
    return topic;
  }

  /**
   * A poll source is connected to like a callback: the guard refuses at creation what it would refuse
   * at every connection (a literal or resolved address outside HUB_CALLBACK_POLICY), for the URL and
   * an OAuth2 token endpoint, so such a topic is a 400 rather than a source that can only fail.
   */
  private async assertPollAllowed(url: string, auth: ListenerAuth | undefined): Promise<void> {
    const refused = await this.urlRefusal(url);
    if (refused) throw new BadRequestError(`source.poll: ${refused}`);
    const tokenRefused = auth?.type === 'oauth2' ? await this.urlRefusal(auth.tokenUrl) : undefined;
    if (tokenRefused) throw new BadRequestError(`source.auth.tokenUrl: ${tokenRefused}`);
  }

  /** The topics `actor` may see: for a scoped one only those in its scopes, filtered in the store (so paging and the total stay right). */
  list(query: ListQuery, actor?: Principal): Promise<Page> {
    const scope = topicScopeClauses(actor);
    return this.stores.topics.list(TOP_LEVEL, scope.length ? { ...query, filter: [...query.filter, ...scope] } : query);
  }

  /**
   * The topic, when `actor` may act on it with `permission` (a topic out of its scopes is a 403);
   * no actor is the hub itself. A scoped actor's check needs the name, so the topic is read whole
   * and projected here.
   */
  async get(id: string, fields?: readonly string[], actor?: Principal, permission: Permission = 'topic:read'): Promise<Resource> {
    const scoped = isScoped(actor);
    const topic = await this.stores.topics.get(TOP_LEVEL, id, scoped ? undefined : fields);
    if (!topic) throw new NotFoundError(`Topic ${id} does not exist`);
    assertTopicAccess(actor, permission, topic);
    return scoped ? projectFields(topic, fields) : topic;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.stores.topics.get(TOP_LEVEL, id, ['id'])) !== undefined;
  }

  /** Resolves when the topic exists (and `actor` may act on it with `permission`); the 404 for any resource nested under an unknown topic. */
  async assertExists(id: string, actor?: Principal, permission: Permission = 'topic:read'): Promise<void> {
    await this.get(id, ['id'], actor, permission);
  }

  async delete(id: string, baseUrl: string, actor?: Principal): Promise<void> {
    const topic = await this.get(id, undefined, actor, 'admin');
    await this.notifying('TopicDeleteEvent', topic, baseUrl, async () => {
      // Children first: a crash half-way leaves a topic that can be deleted again, never orphans.
      const hubs = await listAll(this.stores.hubs, id);
      for (const hub of hubs) await this.stores.deliveries.deleteByHub(hub.id);
      await this.stores.hubs.deleteScope(id);
      for (const hub of hubs) this.hubRemoved(hub.id);
      // A poll source's cached OAuth2 token goes with its topic, as a hub's does.
      if (sourceBroker(topic.source) === POLL_KEY) this.hubRemoved(pollCredentialKey(id));
      await this.stores.events.deleteScope(id);
      await this.stores.states.deleteScope(id);
      await this.stores.polls.delete(id);
      await this.stores.topics.delete(TOP_LEVEL, id);
    });
    this.sourceChanged(topic);
  }

  /**
   * Whether the change a staged notification announces happened (its topic exists after a create,
   * is gone after a delete): what the staged sweeper asks of records a crash left staged. Undefined
   * for a change that did not happen (its records are deleted).
   */
  async notificationSettled(eventType: string | undefined, topicId: string): Promise<{ sequence?: number } | undefined> {
    const announced = TOPIC_NOTIFICATIONS[eventType as TopicNotification];
    if (!announced) return undefined;
    return (await this.exists(topicId)) === (announced === 'exists') ? {} : undefined;
  }

  /** Stages the listeners' notification of a change, makes the change, then releases it (or deletes it when the change failed). */
  private async notifying(eventType: TopicNotification, topic: Resource, baseUrl: string, change: () => Promise<unknown>): Promise<void> {
    const notification = this.topicNotification(eventType, topic, baseUrl);
    const context = await this.notificationContext(baseUrl, topic.id);
    const deliveries = await this.fanOut.forListeners(this.stores.listeners, notification, topic.id, context);
    const notificationId = String(notification.id);
    await this.stores.deliveries.insertMany(deliveries);
    try {
      await change();
    } catch (err) {
      if (deliveries.length) await this.stores.deliveries.deleteByEvent(notificationId).catch(() => undefined);
      throw err;
    }
    if (deliveries.length) {
      // The change is made, so the answer is a success whatever happens here: records this release
      // misses (the store went away) are released by the staged sweeper after HUB_STAGED_GRACE.
      await this.stores.deliveries.releaseStaged(notificationId).catch(() => undefined);
      this.notifier.notify();
    }
  }

  private sourceChanged(topic: Resource): void {
    const broker = sourceBroker(topic.source);
    if (broker !== undefined) this.sources.get(broker)?.changed();
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
