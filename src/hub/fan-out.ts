import { randomUUID } from 'node:crypto';
import type { Delivery, DeliveryStatus, HubKind } from '../store/delivery-types';
import { TOP_LEVEL, type Resource, type ResourceStore } from '../store/store-types';
import { compileContentQuery, compileQuery, notificationMatches, QueryCache, type CompiledQuery } from '../query/hub-query';
import { listAll } from './list-all';
import { projectFields } from '../query/project-fields';

export interface FanOutOptions {
  /** Append /listener/{eventType in lowerCamel} to callbacks (HUB_LISTENER_SUFFIX). */
  listenerSuffix: boolean;
  now?: () => Date;
}

/** ProductOrderCreateEvent -> productOrderCreateEvent */
export function lowerCamel(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Decides who gets a notification and builds their outbox records (not yet written). Each hub's
 * query, and the topic's header and content queries, are compiled once and cached by their text.
 */
export class FanOut {
  private readonly queries = new QueryCache();
  private readonly contentQueries = new QueryCache();
  private readonly now: () => Date;

  constructor(private readonly options: FanOutOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Deliveries for the hubs of a topic whose queries match the event notification, staged until the event is stored. */
  async forTopicHubs(topic: Resource, hubs: ResourceStore, notification: Record<string, unknown>, eventResourceId: string): Promise<Delivery[]> {
    const gate = {
      header: this.queries.get(topic.headerQuery as string | undefined),
      content: this.contentQueries.get(topic.contentQuery as string | undefined, compileContentQuery),
    };
    return this.build('topic', topic.id, await listAll(hubs, topic.id), notification, eventResourceId, 'staged', gate);
  }

  /** Deliveries for the API-level listener registrations (POST /hub) whose queries match. */
  async forListeners(listeners: ResourceStore, notification: Record<string, unknown>): Promise<Delivery[]> {
    return this.build('listener', TOP_LEVEL, await listAll(listeners, TOP_LEVEL), notification, String(notification.id ?? notification.eventId), 'pending');
  }

  private build(
    kind: HubKind,
    topicId: string,
    hubs: Resource[],
    notification: Record<string, unknown>,
    eventResourceId: string,
    status: DeliveryStatus,
    gate?: { header: CompiledQuery; content: CompiledQuery },
  ): Delivery[] {
    const now = this.now();
    // Hubs without fields= share one serialised body: JSON is built once per distinct projection.
    const payloads = new Map<string, string>();
    const deliveries: Delivery[] = [];
    for (const hub of hubs) {
      const query = this.queries.get(hub.query as string | undefined, (q) => compileQuery(q));
      if (!notificationMatches(notification, query, gate)) continue;
      const key = query.fields?.join(',') ?? '';
      let payload = payloads.get(key);
      if (payload === undefined) {
        payload = JSON.stringify(projectFields(notification, query.fields));
        payloads.set(key, payload);
      }
      const eventType = typeof notification.eventType === 'string' ? notification.eventType : undefined;
      deliveries.push({
        id: randomUUID(),
        hubKind: kind,
        hubId: hub.id,
        topicId,
        eventId: String(notification.eventId),
        eventResourceId,
        eventType,
        url: this.url(String(hub.callback), eventType),
        payload,
        status,
        failures: 0,
        attempts: [],
        nextAttemptAt: now.getTime(),
        createdAt: now.toISOString(),
      });
    }
    return deliveries;
  }

  private url(callback: string, eventType: string | undefined): string {
    if (!this.options.listenerSuffix) return callback;
    return `${callback.replace(/\/+$/, '')}/listener/${lowerCamel(eventType ?? 'event')}`;
  }
}
