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
    return this.build('topic', topic.id, await listAll(hubs, topic.id), notification, eventResourceId, 'staged', this.gate(topic));
  }

  /** The topic's header and content queries, which gate every hub of the topic. */
  private gate(topic: Resource): { header: CompiledQuery; content: CompiledQuery } {
    return {
      header: this.queries.get(topic.headerQuery as string | undefined),
      content: this.contentQueries.get(topic.contentQuery as string | undefined, compileContentQuery),
    };
  }

  /**
   * A replay's delivery of a stored event to one hub of the topic: pending at once (the event is
   * stored), marked as a replay; none when the topic's gates, the hub's query or `narrowing` refuse it.
   */
  forReplay(topic: Resource, hub: Resource, notification: Record<string, unknown>, eventResourceId: string, narrowing: CompiledQuery): Delivery | undefined {
    if (!notificationMatches(notification, narrowing)) return undefined;
    const [delivery] = this.build('topic', topic.id, [hub], notification, eventResourceId, 'pending', this.gate(topic));
    return delivery && { ...delivery, replay: true };
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
