import type { Logger } from '../logger';
import type { Delivery } from '../store/delivery-types';
import type { Stores } from '../store/store-types';
import type { Tracer } from '../tracing/tracer';
import { AuditService } from './audit-service';
import { StateService } from './state-service';
import type { CallbackTargets } from './callback-targets';
import type { EventSources } from './event-source';
import { DeliveryService } from './delivery-service';
import type { DeliveryNotifier } from './delivery-notifier';
import { EventFeed } from './event-feed';
import { EventService } from './event-service';
import { EventStreamService } from './event-stream-service';
import { FanOut } from './fan-out';
import { HubQuota } from './hub-quota';
import { HubService } from './hub-service';
import { InboxService } from './inbox-service';
import { ListenerService } from './listener-service';
import { OdaComponentService } from './oda-component-service';
import { PendingLimit, type HeapUse, type PendingLimitOptions } from './pending-limit';
import { PublishRate } from './publish-rate';
import { PublishTurns } from './publish-turns';
import { ReplayService } from './replay-service';
import { SchemaRegistryService } from './schema-registry-service';
import { SchemaValidation, type SchemaValidationOptions } from './schema-validation';
import { SourceIngest, type SourceIngestDeps } from './source-ingest';
import { TopicService } from './topic-service';
import type { SubscriptionChecks } from './validate-subscription';
import type { HandshakeProbe } from './webhook-handshake';

export interface Services {
  topics: TopicService;
  events: EventService;
  hubs: HubService;
  listeners: ListenerService;
  inbox: InboxService;
  deliveries: DeliveryService;
  replays: ReplayService;
  streams: EventStreamService;
  /** The event schema registry, and validation at publish. */
  schemas: SchemaRegistryService;
  validation: SchemaValidation;
  /** News of every event this process stores (live streams, metrics). */
  feed: EventFeed;
  /** Backpressure: publishing is refused (503) past HUB_MAX_PENDING unfinished deliveries. */
  pendingLimit: PendingLimit;
  /** Each client's publishPerSecond quota in this process (429 past it); the composition root tells it how many processes share it. */
  publishRate: PublishRate;
  /** Events from topic sources (broker bridges): checked and published as POST /topic/{id}/event. */
  ingest: SourceIngest;
  /** The audit trail: the HTTP layer records state changes and refusals; admins list it. */
  audit: AuditService;
  /** The latest state of each resource of a topic with a poll source (GET /topic/{id}/state). */
  states: StateService;
  /** ODA event wiring: the topics and hubs of applied Component manifests (PUT /odaComponent/{name}). */
  oda: OdaComponentService;
  /**
   * What settles a delivery a crash left staged: whether the publish (or topic change) that staged
   * it finished, and the sequence it took; undefined when it never did (the staged sweeper asks).
   */
  stagedOutcome(delivery: Pick<Delivery, 'hubKind' | 'topicId' | 'eventResourceId' | 'eventType'>): Promise<{ sequence?: number } | undefined>;
}

/** Everything the services are told; the composition root (src/compose-hub.ts) fills it from Config. */
export interface ServiceOptions {
  /** Append /listener/{eventType} to callbacks (HUB_LISTENER_SUFFIX). */
  listenerSuffix: boolean;
  /** Woken when deliveries become due: the delivery worker, when this process runs one. */
  notifier: DeliveryNotifier;
  /** Checks callbacks at hub creation, and tells broker destinations (the transport registry). */
  callbacks: CallbackTargets;
  /** Live streams: how often an idle one reads the store, sends a heartbeat, and waits for a missing sequence. */
  stream: { pollMs: number; heartbeatMs: number; gapGraceMs?: number };
  /** Entries kept per mock inbox; the oldest go first. */
  inboxLimit: number;
  /** Entries kept over all mock inboxes; the oldest go first. */
  inboxMaxTotal: number;
  /** After a secret rotation, how long the previous secret keeps signing. */
  secretRotationGraceMs: number;
  /** Events one replay may cover at most. */
  replayMax: number;
  /** Validation of published events against registered schemas (HUB_SCHEMA_VALIDATION, HUB_SCHEMA_CACHE_TTL). */
  schemaValidation: SchemaValidationOptions;
  /** Sends the CloudEvents validation request of hubs created with `"validate": true`, asking for `requestRate` per minute. */
  handshake?: { probe: HandshakeProbe; requestRate: number };
  /** Told when a hub's credentials are set, changed or gone (undefined): the delivery side's tokens, TLS connections and certificate expiry follow. */
  credentialsChanged?: SubscriptionChecks['credentialsChanged'];
  /** Spans of each publish (ids only unless an exporter is configured). */
  tracer?: Tracer;
  /** Topic sources (the broker bridges) that are configured, by broker: a topic's `source` must name one. */
  sources?: EventSources;
  /** How events from topic sources are held to the contract, and the API base of their hrefs. */
  ingest: Pick<SourceIngestDeps, 'contractRefusal' | 'baseUrl'>;
  /** HUB_MAX_PENDING, and how stale the store's count may be; absent: no limit. */
  pendingLimit?: PendingLimitOptions;
  /** This process's heap: publishing is refused too while its live data nears the limit (src/heap-use.ts); absent: not watched. */
  heapUse?: HeapUse;
  /** Publishes started per event-loop turn while `busy()` (this process's worker has deliveries waiting); absent: unbounded. */
  publishTurns?: { perTurn: number; busy: () => boolean };
  /** Where an audit record that could not be stored is logged instead. */
  logger: Pick<Logger, 'warn'>;
  /** HUB_ODA_CALLBACK_BASE: where an ODA component's callback path is resolved. */
  odaCallbackBase: string;
}

export function createServices(stores: Stores, options: ServiceOptions): Services {
  const { notifier, callbacks } = options;
  const fanOut = new FanOut({ listenerSuffix: options.listenerSuffix, targets: callbacks });
  const credentialsChanged = options.credentialsChanged;
  const topics = new TopicService({
    stores,
    fanOut,
    notifier,
    sources: options.sources,
    hubRemoved: (hubId) => credentialsChanged?.(hubId, undefined),
    urlRefusal: (url) => callbacks.creationRefusal(url),
  });
  const checks: SubscriptionChecks = { callbacks, handshake: options.handshake, credentialsChanged };
  const rotation = { graceMs: options.secretRotationGraceMs, now: Date.now };
  const quota = new HubQuota(stores);
  const hubs = new HubService(stores, topics, checks, rotation, quota);
  const listeners = new ListenerService(stores, checks, rotation, quota);
  const feed = new EventFeed();
  const schemas = new SchemaRegistryService(stores);
  const validation = new SchemaValidation(schemas, options.schemaValidation ?? { defaultMode: 'off', cacheTtlMs: 5000 });
  const pendingLimit = new PendingLimit(options.pendingLimit ?? { max: 0, refreshMs: 0 }, stores.deliveries, options.heapUse);
  const publishRate = new PublishRate();
  const events = new EventService({
    stores,
    topics,
    fanOut,
    notifier,
    feed,
    schemas: validation,
    tracer: options.tracer,
    pendingLimit,
    turns: options.publishTurns && new PublishTurns(options.publishTurns.perTurn, options.publishTurns.busy),
    rate: publishRate,
  });
  return {
    topics,
    events,
    hubs,
    listeners,
    inbox: new InboxService(stores, { perInbox: options.inboxLimit, total: options.inboxMaxTotal }),
    deliveries: new DeliveryService(stores, hubs, listeners, notifier),
    replays: new ReplayService(stores, topics, fanOut, notifier, options.replayMax),
    streams: new EventStreamService(stores, topics, feed, options.stream),
    schemas,
    validation,
    feed,
    pendingLimit,
    publishRate,
    ingest: new SourceIngest({ events, topics: stores.topics, ...options.ingest }),
    audit: new AuditService(stores, options.logger),
    states: new StateService(stores, topics),
    oda: new OdaComponentService({ stores, topics, hubs, callbackBase: options.odaCallbackBase }),
    stagedOutcome: (d) => (d.hubKind === 'topic' ? events.storedSequence(d.topicId, d.eventResourceId) : topics.notificationSettled(d.eventType, d.topicId)),
  };
}
