import type { Principal } from '../access/principal';
import type { Delivery, DeliveryListQuery, HubKind } from '../store/delivery-types';
import { TOP_LEVEL, type Stores } from '../store/store-types';
import type { DeliveryNotifier } from './delivery-notifier';
import { NotFoundError } from '../errors';
import { bucketMsFor, hubStats, type HubStats } from './hub-stats';
import type { HubService } from './hub-service';
import type { ListenerService } from './listener-service';
import { RATE_LIMIT_ATTRIBUTE, rateLimitOf } from './rate-limit';
import type { ListenerCredentials } from '../credentials/listener-credentials';
import { credentialsOf, SECRET_ATTRIBUTE, signingSecrets } from './subscriber-secret';

/** What the worker reads of a hub for each claimed batch. */
const DELIVERY_FIELDS: readonly string[] = [SECRET_ATTRIBUTE, RATE_LIMIT_ATTRIBUTE];

/** Identifies a hub: a topic's hub, or an API-level listener registration (topicId TOP_LEVEL). */
export interface HubRef {
  kind: HubKind;
  topicId: string;
  hubId: string;
}

type DeliveryHub = Pick<Delivery, 'hubKind' | 'topicId' | 'hubId'>;

/**
 * The delivery log of a hub, and redelivery (a tmf688-hub extension of TMF688). Everything under a
 * hub is its owner's (and admins'): for another `actor` the hub does not exist (404).
 */
export class DeliveryService {
  constructor(
    private readonly stores: Pick<Stores, 'deliveries' | 'hubs' | 'listeners'>,
    private readonly hubs: HubService,
    private readonly listeners: ListenerService,
    private readonly notifier: DeliveryNotifier,
    private readonly now: () => number = Date.now,
  ) {}

  async list(hub: HubRef, query: DeliveryListQuery, actor?: Principal): Promise<{ items: Delivery[]; total: number }> {
    await this.assertHub(hub, actor);
    return this.stores.deliveries.list(hub.hubId, query);
  }

  async get(hub: HubRef, id: string, actor?: Principal): Promise<Delivery> {
    await this.assertHub(hub, actor);
    const delivery = await this.stores.deliveries.get(hub.hubId, id);
    if (!delivery) throw new NotFoundError(`Delivery ${id} does not exist for hub ${hub.hubId}`);
    return delivery;
  }

  /** Sends a delivered or dead delivery again, with a fresh retry schedule; a pending one is left as it is. */
  async redeliver(hub: HubRef, id: string, actor?: Principal): Promise<Delivery> {
    await this.assertHub(hub, actor);
    const delivery = await this.stores.deliveries.redeliver(hub.hubId, id, this.now());
    if (!delivery) throw new NotFoundError(`Delivery ${id} does not exist for hub ${hub.hubId}`);
    this.notifier.notify();
    return delivery;
  }

  /** The hub's attempts over the window ending now, per bucket: what the console charts. */
  async stats(hub: HubRef, windowMs: number, actor?: Principal): Promise<HubStats> {
    await this.assertHub(hub, actor);
    const now = this.now();
    const since = new Date(now - windowMs - bucketMsFor(windowMs)).toISOString();
    return hubStats(await this.stores.deliveries.attemptsSince(hub.hubId, since), now, windowMs);
  }

  /** The hub a 410 Gone came from asks to be unregistered. */
  async unregister(hub: DeliveryHub): Promise<void> {
    if (hub.hubKind === 'topic') await this.hubs.remove(hub.topicId, hub.hubId);
    else await this.listeners.remove(hub.hubId);
  }

  /**
   * What an attempt to this hub needs now: its signing secrets, rate limit and the credentials its
   * listener requires (read with the secrets, in the same read); undefined when the hub is gone.
   */
  async subscription(hub: DeliveryHub): Promise<{ secrets: readonly string[]; rateLimit?: { perSecond: number }; credentials?: ListenerCredentials } | undefined> {
    const stored = hub.hubKind === 'topic'
      ? await this.stores.hubs.get(hub.topicId, hub.hubId, DELIVERY_FIELDS)
      : await this.stores.listeners.get(TOP_LEVEL, hub.hubId, DELIVERY_FIELDS);
    if (!stored) return undefined;
    const rateLimit = rateLimitOf(stored);
    const credentials = credentialsOf(stored);
    return { secrets: signingSecrets(stored, this.now()), ...(rateLimit ? { rateLimit } : {}), ...(credentials ? { credentials } : {}) };
  }

  /** The hub exists and is the actor's to see (with its topic in scope): else the 404 (or 403) of reading it. */
  private async assertHub(hub: HubRef, actor: Principal | undefined): Promise<void> {
    if (hub.kind === 'topic') await this.hubs.get(hub.topicId, hub.hubId, ['id'], actor);
    else await this.listeners.get(hub.hubId, ['id'], actor);
  }
}
