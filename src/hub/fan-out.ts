import { randomUUID } from 'node:crypto';
import { cloudEventContext, type CloudEventContext } from '../cloudevents/cloud-event';
import type { Delivery, DeliveryStatus, HubKind } from '../store/delivery-types';
import { TOP_LEVEL, type Resource, type ResourceStore } from '../store/store-types';
import { compileContentQuery, compileQuery, notificationMatches, QueryCache, type CompiledQuery } from '../query/hub-query';
import { listAll } from './list-all';
import { projectFields } from '../query/project-fields';
import type { CallbackTargets } from './callback-targets';
import { orderingKeyFor, orderingOf } from './ordering';
import { StringPool } from '../text/string-pool';

export interface FanOutOptions {
  /** Append /listener/{eventType in lowerCamel} to callbacks (HUB_LISTENER_SUFFIX). */
  listenerSuffix: boolean;
  /** Which callbacks are broker destinations (the transport registry). */
  targets: Pick<CallbackTargets, 'isBroker'>;
  now?: () => Date;
}

/** ProductOrderCreateEvent -> productOrderCreateEvent */
export function lowerCamel(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** What a publish adds to every record of its notification. */
export interface FanOutContext {
  /** The topic's href: the CloudEvents `source` of hubs that ask for CloudEvents. */
  source: string;
  /** The publish span (W3C traceparent and the producer's tracestate): attempts are its children. */
  traceparent?: string;
  tracestate?: string;
  /**
   * The notification's sequence, when it is known as the records are built (a replay's stored event,
   * the API's own notifications); a publish gives it to its staged records when it releases them.
   */
  sequence?: number;
}

/** The hub `format` values that ask for a CloudEvent, and the HTTP binding mode each means. */
const CLOUDEVENT_MODES = { cloudevents: 'structured', 'cloudevents-binary': 'binary' } as const;

/**
 * Decides who gets a notification and builds their outbox records (not yet written). Each hub's
 * query, and the topic's header and content queries, are compiled once and cached by their text.
 */
export class FanOut {
  private readonly queries = new QueryCache();
  private readonly contentQueries = new QueryCache();
  /** Hub ids, topic ids and callback URLs, shared by the records of every publish (finished ones are kept). */
  private readonly strings = new StringPool();
  private readonly now: () => Date;

  constructor(private readonly options: FanOutOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Deliveries for the topic's hubs (all of them, as read by the caller: a publish reads them beside
   * the topic) whose queries match the event notification, staged until the event is stored.
   */
  forTopicHubs(
    topic: Resource,
    hubs: readonly Resource[],
    notification: Record<string, unknown>,
    eventResourceId: string,
    context: FanOutContext,
  ): Delivery[] {
    return this.build('topic', topic.id, hubs, notification, eventResourceId, 'staged', context, this.gate(topic));
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
  forReplay(
    topic: Resource,
    hub: Resource,
    notification: Record<string, unknown>,
    eventResourceId: string,
    narrowing: CompiledQuery,
    context: FanOutContext,
  ): Delivery | undefined {
    if (!notificationMatches(notification, narrowing)) return undefined;
    const [delivery] = this.build('topic', topic.id, [hub], notification, eventResourceId, 'pending', context, this.gate(topic));
    return delivery && { ...delivery, replay: true };
  }

  /**
   * Deliveries of a Topic notification for the API-level listener registrations (POST /hub) whose
   * queries match, staged until the change it announces is made. Their topicId is the topic the
   * notification is about.
   */
  async forListeners(listeners: ResourceStore, notification: Record<string, unknown>, topicId: string, context: FanOutContext): Promise<Delivery[]> {
    const id = String(notification.id ?? notification.eventId);
    return this.build('listener', topicId, await listAll(listeners, TOP_LEVEL), notification, id, 'staged', context);
  }

  private build(
    kind: HubKind,
    topicId: string,
    hubs: readonly Resource[],
    notification: Record<string, unknown>,
    eventResourceId: string,
    status: DeliveryStatus,
    context: FanOutContext,
    gate?: { header: CompiledQuery; content: CompiledQuery },
  ): Delivery[] {
    const now = this.now();
    const createdAt = now.toISOString();
    const sharedTopicId = this.strings.get(topicId);
    // Worked out for the first hub that asks for CloudEvents, then shared.
    let cloudEvent: CloudEventContext | undefined;
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
      const callback = String(hub.callback);
      const broker = this.options.targets.isBroker(callback);
      // A broker record carries the CloudEvents attributes as headers beside the plain notification (binary mode).
      const mode = hub.format === undefined ? (broker ? 'binary' : undefined) : CLOUDEVENT_MODES[hub.format as keyof typeof CLOUDEVENT_MODES];
      if (mode) cloudEvent ??= cloudEventContext(notification, context.source);
      const delivery: Delivery = {
        id: randomUUID(),
        hubKind: kind,
        hubId: this.strings.get(hub.id),
        topicId: sharedTopicId,
        eventId: String(notification.eventId),
        eventResourceId,
        eventType,
        url: this.strings.get(broker ? callback : this.url(callback, eventType)),
        payload,
        status,
        failures: 0,
        attempts: [],
        nextAttemptAt: now.getTime(),
        createdAt,
      };
      // Set only when present: a stored undefined would come back from MongoDB as null.
      if (context.traceparent) delivery.traceparent = context.traceparent;
      if (context.tracestate) delivery.tracestate = context.tracestate;
      if (mode) delivery.cloudEvent = { mode, ...cloudEvent! };
      // A pending record without its sequence would hold its key for good: such a one (a replay of an
      // event stored before sequences were kept) goes unordered.
      if (hub.ordering !== undefined && (status === 'staged' || context.sequence !== undefined)) {
        const ordering = orderingOf(hub);
        const orderingKey = ordering && orderingKeyFor(ordering, hub.id, notification);
        if (orderingKey !== undefined) delivery.orderingKey = orderingKey;
      }
      if (context.sequence !== undefined) delivery.sequence = context.sequence;
      deliveries.push(delivery);
    }
    return deliveries;
  }

  private url(callback: string, eventType: string | undefined): string {
    if (!this.options.listenerSuffix) return callback;
    return `${callback.replace(/\/+$/, '')}/listener/${lowerCamel(eventType ?? 'event')}`;
  }
}
