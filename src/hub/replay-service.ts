import type { Principal } from '../access/principal';
import { BadRequestError, NotFoundError } from '../errors';
import { compileQuery } from '../query/hub-query';
import type { Delivery } from '../store/delivery-types';
import type { Stores } from '../store/store-types';
import type { DeliveryNotifier } from './delivery-notifier';
import type { FanOut } from './fan-out';
import { sees } from './hub-ownership';
import { links, withHref } from './links';
import type { TopicService } from './topic-service';

/** What POST .../hub/{hubId}/replay asks for. */
export interface ReplayRequest {
  /** Start and end of the window, as date-times; both edges are included. */
  from: string;
  to: string;
  /** Hub query syntax, narrowing the replay further than the hub's own query. */
  query?: string;
  /** Skip events this hub already has a delivered delivery of. */
  onlyUndelivered?: boolean;
}

export interface ReplayResult {
  /** Stored events of the topic in the window. */
  events: number;
  /** Fresh deliveries created for the hub. */
  queued: number;
}

/** Events read, and deliveries written, per store call. */
const PAGE = 1000;

/**
 * Replays stored events to one hub: a fresh delivery (marked as a replay) for every event of the
 * topic the hub accepted within a time window, in the order they were published, gated by the topic's
 * queries, the hub's query and the replay's own. Bounded by HUB_REPLAY_MAX events per request.
 */
export class ReplayService {
  constructor(
    private readonly stores: Pick<Stores, 'events' | 'hubs' | 'deliveries'>,
    private readonly topics: TopicService,
    private readonly fanOut: FanOut,
    private readonly notifier: DeliveryNotifier,
    /** Events a replay may cover at most (HUB_REPLAY_MAX). */
    private readonly maxEvents: number,
  ) {}

  /** For `actor` (a topic out of its scopes is a 403; another principal's hub a 404). */
  async replay(topicId: string, hubId: string, request: ReplayRequest, baseUrl: string, actor?: Principal): Promise<ReplayResult> {
    const topic = await this.topics.get(topicId, undefined, actor, 'hub:manage');
    const hub = await this.stores.hubs.get(topicId, hubId);
    if (!hub || !sees(actor, hub)) throw new NotFoundError(`Hub ${hubId} does not exist in topic ${topicId}`);
    const from = Date.parse(request.from);
    const to = Date.parse(request.to);
    if (Number.isNaN(from) || Number.isNaN(to)) throw new BadRequestError('from and to must be date-times, e.g. 2024-05-01T00:00:00Z', 'Invalid replay window');
    if (from > to) throw new BadRequestError(`from (${request.from}) is after to (${request.to})`, 'Invalid replay window');
    const narrowing = compileQuery(request.query, 'query');

    let events = 0;
    let queued = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.stores.events.listStoredBetween(topicId, from, to, offset, PAGE);
      if (offset === 0 && page.total > this.maxEvents) {
        throw new BadRequestError(
          `The window holds ${page.total} events, more than the ${this.maxEvents} one replay may cover (HUB_REPLAY_MAX): ask for a narrower window`,
          'Replay window too large',
        );
      }
      const skip = request.onlyUndelivered ? await this.delivered(hubId, page.items.map((i) => i.resource.id)) : new Set<string>();
      const deliveries: Delivery[] = [];
      for (const { resource: event, sequence } of page.items) {
        if (skip.has(event.id)) continue;
        const notification = withHref(event, links.event(baseUrl, topicId, event.id));
        // With the event's own sequence: an ordered hub gets the replay in publish order, in its key.
        const delivery = this.fanOut.forReplay(topic, hub, notification, event.id, narrowing, { source: links.topic(baseUrl, topicId), sequence });
        if (delivery) deliveries.push(delivery);
      }
      await this.stores.deliveries.insertMany(deliveries);
      events += page.items.length;
      queued += deliveries.length;
      if (page.items.length < PAGE) break;
    }
    if (queued) this.notifier.notify();
    return { events, queued };
  }

  /** Which of these events the hub already has a delivered delivery of. */
  private async delivered(hubId: string, eventResourceIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (eventResourceIds.length === 0) return found;
    const filter = [
      { path: ['status'], op: 'eq' as const, values: ['delivered'] },
      { path: ['eventResourceId'], op: 'eq' as const, values: [...eventResourceIds] },
    ];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.stores.deliveries.list(hubId, { filter, offset, limit: PAGE });
      for (const d of page.items) found.add(d.eventResourceId);
      if (page.items.length < PAGE) return found;
    }
  }
}
