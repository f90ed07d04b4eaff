import type { CloudEventContext } from '../cloudevents/cloud-event';
import type { FilterClause } from '../query/filter-clause';

/**
 * `staged`: written by a publish before its event is stored, never claimable; released to `pending`
 * once the event is stored, deleted if it never is. The API never shows a staged delivery.
 */
export type DeliveryStatus = 'staged' | 'pending' | 'delivered' | 'dead';

/** Who the delivery is for: a hub of a topic, or an API-level listener registration (POST /hub). */
export type HubKind = 'topic' | 'listener';

export interface DeliveryAttempt {
  number: number;
  at: string;
  durationMs: number;
  /** HTTP status of the answer; absent when there was none. */
  statusCode?: number;
  /** Why the attempt failed, when it did: a network error, a timeout, a refusal. */
  error?: string;
  /** The first bytes of the answer's body. */
  response?: string;
  outcome: 'delivered' | 'failed';
  /** The worker (host, process and instance) that made the attempt. */
  worker?: string;
}

/** One notification to one callback: the outbox record, written when the event is published. */
export interface Delivery {
  /** Also the webhook-id header: stable across attempts. */
  id: string;
  hubKind: HubKind;
  hubId: string;
  /** The topic of a topic hub; for a listener registration's Topic notification, the topic it is about. */
  topicId: string;
  /** The `eventId` of the notification, and the id of the event resource it came from. */
  eventId: string;
  eventResourceId: string;
  eventType?: string;
  /** The URL posted to (the callback, with the /listener suffix when configured), or a broker destination (`kafka:<topic>`). */
  url: string;
  /** The JSON body, serialised once at publish time. */
  payload: string;
  /**
   * Ordered hubs (`ordering`): the value of the hub's ordering key for this event, as a string (the
   * hub's id for `"ordering": "hub"`). Deliveries of one hub with the same key go one at a time, by
   * `sequence`. Absent for unordered hubs and for events without the key (they go unordered).
   */
  orderingKey?: string;
  /**
   * The event's per-topic sequence: the order the hub accepted it in (for POST /hub registrations,
   * the order of the API's own notifications). Set when a publish releases its staged records; a
   * staged ordered record has none yet, and holds its key until it gets one.
   */
  sequence?: number;
  /** Created by a replay (POST .../hub/{hubId}/replay): every attempt says so (webhook-replay: true). */
  replay?: true;
  /** Set when the hub asked for a CloudEvent (its `format`); absent: the plain TMF notification. */
  cloudEvent?: CloudEventContext & { mode: 'structured' | 'binary' };
  /** The publish span as a W3C traceparent (with the producer's tracestate): every attempt is sent as its child. */
  traceparent?: string;
  tracestate?: string;
  status: DeliveryStatus;
  /** Failed attempts since the delivery was created or last redelivered (the retry schedule index). */
  failures: number;
  attempts: DeliveryAttempt[];
  /** ms since epoch; when the next attempt is due (meaningful while pending). */
  nextAttemptAt: number;
  createdAt: string;
  deliveredAt?: string;
  /** ms since epoch; when the delivery became delivered or dead (absent while pending): retention counts from it. */
  finishedAt?: number;
  /** Set while a worker holds the delivery. */
  leaseOwner?: string;
  leaseUntil?: number;
}

/** What a worker records after an attempt, while it holds the lease. */
export interface AttemptOutcome {
  attempt: DeliveryAttempt;
  status: DeliveryStatus;
  failures: number;
  nextAttemptAt: number;
  deliveredAt?: string;
  /** Set when the outcome is delivered or dead. */
  finishedAt?: number;
}

export interface ClaimRequest {
  now: number;
  leaseMs: number;
  owner: string;
  limit: number;
  /** Per-hub bound: how many deliveries each hub may have in flight (unless `hubLimit` says otherwise), and how many it has now. */
  perHubLimit: number;
  inFlightByHub: ReadonlyMap<string, number>;
  /** Hubs with a bound of their own (the worker's adaptive windows): it replaces perHubLimit for them. */
  hubLimit?: ReadonlyMap<string, number>;
  /** Rate-limited hubs: how many more of each may be claimed now (their tokens); absent hubs are not limited. */
  hubBudget?: ReadonlyMap<string, number>;
}

export interface DeliveryListQuery {
  filter: readonly FilterClause[];
  offset: number;
  limit: number;
}

/**
 * The delivery outbox. Claims are atomic per delivery, so several hub processes on one database
 * share the work without sending a delivery twice while its lease holds.
 */
/** Who says it is alive: delivery workers, and processes serving the API. */
export type HeartbeatGroup = 'worker' | 'api';

export interface DeliveryStore {
  /**
   * Writes new deliveries as they are: `staged` ones wait for releaseStaged(), `pending` ones are
   * claimable at once. Throws DocumentRefusedError, writing none of them, when the database cannot store one (its size).
   */
  insertMany(deliveries: readonly Delivery[]): Promise<void>;
  /** Makes the staged deliveries of an event pending (claimable), with the event's sequence; returns how many. */
  releaseStaged(eventResourceId: string, sequence?: number): Promise<number>;
  /** Up to `limit` staged deliveries created before `before` (ms): what a crash between staging and release left. */
  listStaged(before: number, limit: number): Promise<Delivery[]>;
  /**
   * Leases due pending deliveries (nextAttemptAt <= now, no live lease), oldest due first. Of the
   * deliveries with an orderingKey only the head of each (hubId, orderingKey) is claimable: the
   * non-finished delivery of that key with the lowest sequence, when it is pending, has its sequence
   * and no other delivery of the key is leased. Atomic across processes: one key is never leased twice.
   */
  claimDue(request: ClaimRequest): Promise<Delivery[]>;
  /** Records an attempt and releases the lease; false (and nothing written) if the lease is no longer ours. */
  complete(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean>;
  /** Gives back a leased delivery unattempted, due again at `until` (a rate limit); false if the lease is not ours. */
  postpone(id: string, owner: string, until: number): Promise<boolean>;
  /**
   * Records that process `owner` of `group` is alive at `now`, and answers how many of the group
   * were alive within the last `aliveMs` (this one included): how many delivery workers share each
   * hub's rate limit, how many API processes share each client's publish quota.
   */
  heartbeat(group: HeartbeatGroup, owner: string, now: number, aliveMs: number): Promise<number>;
  /** Releases every lease the owner holds (shutdown), leaving those deliveries due as they were. */
  release(owner: string): Promise<number>;
  /** A delivery of the hub; staged ones are not shown. */
  get(hubId: string, id: string): Promise<Delivery | undefined>;
  /** The hub's deliveries, staged ones left out. */
  list(hubId: string, query: DeliveryListQuery): Promise<{ items: Delivery[]; total: number }>;
  /** Makes a delivered or dead delivery pending again, due now, with a fresh retry schedule. */
  redeliver(hubId: string, id: string, now: number): Promise<Delivery | undefined>;
  deleteByHub(hubId: string): Promise<number>;
  deleteByEvent(eventResourceId: string): Promise<number>;
  /** Deletes up to `limit` delivered or dead deliveries that finished before `cutoff` (ms); pending ones never. */
  deleteFinishedBefore(cutoff: number, limit: number): Promise<number>;
  /** The hub's attempts made at or after `since` (an ISO date-time), any order: what its health statistics count. */
  attemptsSince(hubId: string, since: string): Promise<Array<Pick<DeliveryAttempt, 'at' | 'durationMs' | 'outcome'>>>;
  /** Pending deliveries and the oldest pending creation time (ms), for health and metrics. */
  pendingStats(): Promise<{ count: number; oldestCreatedAt?: number }>;
  /** Deliveries not yet finished (staged or pending, leased or not): what HUB_MAX_PENDING bounds. Cheap: no oldest date. */
  countUnfinished(): Promise<number>;
}
