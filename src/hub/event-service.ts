import { randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal';
import type { Delivery } from '../store/delivery-types';
import { DuplicateKeyError } from '../store/store-errors';
import type { ListQuery, Page, Resource, Stores } from '../store/store-types';
import { formatTraceparent, type TraceContext } from '../tracing/trace-context';
import { ID_ONLY_TRACER, type Tracer } from '../tracing/tracer';
import type { DeliveryNotifier } from './delivery-notifier';
import { ConflictError, NotFoundError } from '../errors';
import type { EventFeed } from './event-feed';
import type { FanOut } from './fan-out';
import type { SchemaValidation } from './schema-validation';
import { links, withHref } from './links';
import { keptState } from './kept-state';
import { listAll } from './list-all';
import { newResource } from './new-resource';
import { renewState } from './put-state';
import type { PendingLimit } from './pending-limit';
import type { PublishRate } from './publish-rate';
import type { PublishTurns } from './publish-turns';
import { settledInOrder } from './settled-in-order';
import type { TopicService } from './topic-service';

export const EVENT_TYPE = 'Event';

/** What EventService is made of; the optional parts default to none (no schemas, no limit, ids-only tracing). */
export interface EventServiceDeps {
  stores: Pick<Stores, 'events' | 'hubs' | 'deliveries' | 'states'>;
  topics: TopicService;
  fanOut: FanOut;
  notifier: DeliveryNotifier;
  feed: EventFeed;
  /** Checks events against the registered schemas, as the topic's schemaValidation says. */
  schemas?: Pick<SchemaValidation, 'check'>;
  tracer?: Tracer;
  now?: () => Date;
  /** Refuses the publish (503), before anything is read or written, while the outbox is past HUB_MAX_PENDING. */
  pendingLimit?: Pick<PendingLimit, 'check' | 'added'>;
  /** Bounds the publishes started per event-loop turn while deliveries wait (fairness). */
  turns?: Pick<PublishTurns, 'enter'>;
  /** Each client's publishPerSecond: a 429 before anything is read or written. */
  rate?: Pick<PublishRate, 'take'>;
}

/**
 * Events published to a topic. `eventId` is unique within a topic and filled in when absent.
 * Publishing stages one outbox record per matching hub, stores the event, releases the records, and
 * only then answers; delivery happens afterwards, in the delivery worker.
 */
export class EventService {
  private readonly stores: EventServiceDeps['stores'];
  private readonly topics: TopicService;
  private readonly fanOut: FanOut;
  private readonly notifier: DeliveryNotifier;
  private readonly feed: EventFeed;
  private readonly schemas: EventServiceDeps['schemas'];
  private readonly tracer: Tracer;
  private readonly now: () => Date;
  private readonly pendingLimit: EventServiceDeps['pendingLimit'];
  private readonly turns: EventServiceDeps['turns'];
  private readonly rate: EventServiceDeps['rate'];

  constructor(deps: EventServiceDeps) {
    this.stores = deps.stores;
    this.topics = deps.topics;
    this.fanOut = deps.fanOut;
    this.notifier = deps.notifier;
    this.feed = deps.feed;
    this.schemas = deps.schemas;
    this.tracer = deps.tracer ?? ID_ONLY_TRACER;
    this.now = deps.now ?? (() => new Date());
    this.pendingLimit = deps.pendingLimit;
    this.turns = deps.turns;
    this.rate = deps.rate;
  }

  async publish(topicId: string, input: Record<string, unknown>, baseUrl: string, trace?: TraceContext, actor?: Principal): Promise<Resource> {
    return (await this.publishChecked(topicId, input, baseUrl, trace, actor)).event;
  }

  /**
   * Publishes, and says why the event does not conform to its schema when the topic only warns.
   * `trace` is the producer's W3C trace context (traceparent, tracestate), when it sent a valid one:
   * the publish is a span of that trace, else the root of a new one. Every delivery attempt of the
   * event is sent as a child of the publish span, so listeners join the trace. `actor` publishes
   * (a topic out of its scopes is a 403, checked on the topic the publish reads anyway); none is the
   * hub itself (topic sources).
   */
  async publishChecked(
    topicId: string,
    input: Record<string, unknown>,
    baseUrl: string,
    trace?: TraceContext,
    actor?: Principal,
  ): Promise<{ event: Resource; schemaWarning?: string }> {
    const recording = this.tracer.recording;
    const span = this.tracer.startSpan('publish', 'producer', trace, recording ? { 'messaging.system': 'tmf688', 'messaging.destination.name': topicId } : undefined);
    try {
      const published = await this.store(topicId, input, baseUrl, span.context, actor);
      const { event } = published;
      span.end(recording ? { 'messaging.message.id': String(event.eventId), 'tmf688.event.id': event.id, 'tmf688.event.type': stringOrUndefined(event.eventType) } : undefined);
      return published;
    } catch (err) {
      span.end(undefined, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  /**
   * The client's rate first (nothing read yet), then validation: an event refused by its schema
   * (400) stores nothing, not even outbox records.
   */
  private async store(
    topicId: string,
    input: Record<string, unknown>,
    baseUrl: string,
    trace: TraceContext,
    actor: Principal | undefined,
  ): Promise<{ event: Resource; schemaWarning?: string }> {
    this.rate?.take(actor);
    await this.turns?.enter();
    await this.pendingLimit?.check();
    const event = newResource(input, EVENT_TYPE);
    // The topic, whether the producer's eventId is taken, and the topic's hubs are read together
    // (one round trip on MongoDB); the topic's refusal (404, 403) still comes first and the reads
    // beside it show nothing. An eventId filled in here is a fresh UUID: no read can find it taken.
    const [topic, taken, hubs] = await settledInOrder([
      this.topics.get(topicId, undefined, actor, 'event:publish'),
      event.eventId === undefined || event.eventId === null ? undefined : this.stores.events.findIdByUnique(topicId, event.eventId),
      listAll(this.stores.hubs, topicId),
    ]);
    const publishedAt = this.now();
    event.eventId ??= randomUUID();
    event.eventTime ??= publishedAt.toISOString();
    const schemaWarning = await this.schemas?.check(topic, event);
    if (taken) throw this.conflict(topicId, event.eventId);

    // Staged outbox records before the event, released after it: a crash in between loses no
    // delivery (the staged sweeper releases them once it sees the event), and no worker can send a
    // delivery for an event whose insert then fails (a concurrent duplicate eventId: the 409).
    const notification = withHref(event, links.event(baseUrl, topicId, event.id));
    const deliveries = this.fanOut.forTopicHubs(topic, hubs, notification, event.id, {
      source: links.topic(baseUrl, topicId),
      traceparent: formatTraceparent(trace),
      ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
    });
    let sequence: number;
    try {
      sequence = await this.stageAndNumber(topicId, deliveries);
      await this.stores.events.insert(topicId, event, publishedAt.getTime(), sequence);
    } catch (err) {
      // Whatever was staged goes (a staging that failed part-way too); a number taken is left unused.
      await this.stores.deliveries.deleteByEvent(event.id).catch(() => undefined);
      if (err instanceof DuplicateKeyError) throw this.conflict(topicId, event.eventId);
      throw err;
    }
    if (deliveries.length) {
      // The event is stored, so the answer is 201 whatever happens here: records this release
      // misses (the store went away) are released by the staged sweeper after HUB_STAGED_GRACE.
      await this.stores.deliveries.releaseStaged(event.id, sequence).catch(() => undefined);
      this.notifier.notify();
    }
    if (topic.keepState === true) await this.keepState(topicId, event, publishedAt.getTime());
    this.feed.published(topicId, event);
    return schemaWarning === undefined ? { event } : { event, schemaWarning };
  }

  /**
   * Stages the outbox records and takes the topic's next sequence number. A staged ordered record
   * holds its key until its release gives it the sequence, so with one among them the number is
   * taken only once they are stored: no later event of the key can then be sent before this one,
   * even one published through another process (see MemoryDeliveryStore / MongoDeliveryStore
   * claims). Without one, nothing waits on the number, and both writes go together.
   */
  private async stageAndNumber(topicId: string, deliveries: Delivery[]): Promise<number> {
    const stage = async () => {
      await this.stores.deliveries.insertMany(deliveries);
      this.pendingLimit?.added(deliveries.length);
    };
    if (holdsOrderingKeys(deliveries)) {
      await stage();
      return this.stores.events.nextSequence(topicId);
    }
    const [, sequence] = await settledInOrder([stage(), this.stores.events.nextSequence(topicId)]);
    return sequence;
  }

  async list(topicId: string, query: ListQuery, actor?: Principal): Promise<Page> {
    await this.topics.assertExists(topicId, actor);
    return this.stores.events.list(topicId, query);
  }

  /** Whether the event resource is stored, and with which sequence (the staged sweeper asks). */
  storedSequence(topicId: string, id: string): Promise<{ sequence?: number } | undefined> {
    return this.stores.events.sequenceOf(topicId, id);
  }

  async get(topicId: string, id: string, fields?: readonly string[], actor?: Principal): Promise<Resource> {
    await this.topics.assertExists(topicId, actor);
    const event = await this.stores.events.get(topicId, id, fields);
    if (!event) throw new NotFoundError(`Event ${id} does not exist in topic ${topicId}`);
    return event;
  }

  /** A topic with `"keepState": true` keeps the latest state each published event carries (docs/sources.md). */
  private async keepState(topicId: string, event: Resource, now: number): Promise<void> {
    const change = keptState(event);
    if (!change) return;
    if ('delete' in change) await this.stores.states.delete(topicId, change.delete);
    else await renewState(this.stores.states, topicId, change.put, now);
  }

  private conflict(topicId: string, eventId: unknown): ConflictError {
    return new ConflictError(`An event with eventId ${JSON.stringify(eventId)} already exists in topic ${topicId}`);
  }
}

/** Whether any of a publish's records is ordered: its sequence must then wait for the staging. */
const holdsOrderingKeys = (deliveries: readonly Delivery[]): boolean => deliveries.some((d) => d.orderingKey !== undefined);

const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
