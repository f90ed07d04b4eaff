import type { FilterClause } from '../query/filter-clause';
import type { DeliveryStore } from './delivery-types';
import type { PollRecordStore } from './poll-record-store';

/**
 * The scope of resources that belong to no topic: topics themselves and POST /hub registrations
 * (listener registrations); also the topicId of a listener registration's deliveries.
 */
export const TOP_LEVEL = '';

/** A stored TMF resource: the representation as the API returns it, minus the computed `href`. */
export type Resource = Record<string, unknown> & { id: string };

export interface ListQuery {
  filter: readonly FilterClause[];
  offset: number;
  limit: number;
  /** First-level or dotted attributes to keep (id and @type are always kept); undefined keeps all. */
  fields?: readonly string[];
}

export interface Page {
  items: Resource[];
  /** Number of resources matching the filter, before offset and limit. */
  total: number;
}

/**
 * A collection of resources grouped by scope (the parent topic's id for events and hubs, the inbox
 * name for inbox entries, TOP_LEVEL for topics, listener registrations and audit records). Filtering,
 * paging and projection happen inside the store. Lists come back in insertion order; in a scope whose
 * resources carry a sequence (events), in sequence order; in a newestFirst store (the audit trail),
 * the last stored first.
 */
export interface ResourceStore {
  /**
   * Throws DuplicateKeyError when the id, or the store's unique attribute, is already taken in the scope, and
   * DocumentRefusedError when the database cannot store the resource's shape (nothing is written).
   * `storedAt` (ms, default now) is when the hub accepted the resource, and `sequence` (from
   * nextSequence) its place in the scope's order: both kept beside it, never in it.
   */
  insert(scope: string, resource: Resource, storedAt?: number, sequence?: number): Promise<void>;
  /**
   * The scope's next sequence number (1, 2, ...): each call takes a new one, atomically across every
   * process on the store. A number taken by a publish that then fails is never used (a gap).
   */
  nextSequence(scope: string): Promise<number>;
  /** The sequence the resource was stored with: undefined when it is not stored, `{}` when it has none (stored before sequences). */
  sequenceOf(scope: string, id: string): Promise<{ sequence?: number } | undefined>;
  /** The highest sequence stored in the scope; 0 when none. */
  lastSequence(scope: string): Promise<number>;
  get(scope: string, id: string, fields?: readonly string[]): Promise<Resource | undefined>;
  /** The id of the resource whose unique attribute has this value in the scope (stores with a uniqueAttribute). */
  findIdByUnique(scope: string, value: unknown): Promise<string | undefined>;
  list(scope: string, query: ListQuery): Promise<Page>;
  /** How many resources match the filter over every scope (a principal's hubs under all topics). */
  countAll(filter: readonly FilterClause[]): Promise<number>;
  /** Sets first-level attributes of a stored resource (an undefined value removes one); the resource as it now is, undefined when absent. */
  update(scope: string, id: string, set: Readonly<Record<string, unknown>>): Promise<Resource | undefined>;
  delete(scope: string, id: string): Promise<boolean>;
  deleteScope(scope: string): Promise<number>;
  /**
   * Up to `limit` resources whose sequence is above `after`, in sequence order, each with its
   * sequence: how a live stream pages forward. Resources stored without a sequence are left out.
   */
  listAfterSequence(scope: string, after: number, limit: number): Promise<SequencedResource[]>;
  /**
   * The resources of the scope stored from `from` to `to` (ms, both inclusive), in the order they
   * were stored, paged; with when each was stored. Resources written before storedAt was kept have none and are left out.
   */
  listStoredBetween(scope: string, from: number, to: number, offset: number, limit: number): Promise<StoredPage>;
  /** The id of the resource stored last in the scope. */
  lastId(scope: string): Promise<string | undefined>;
  /** Deletes the oldest resources of the scope beyond the newest `keep`; returns how many went. */
  trimScope(scope: string, keep: number): Promise<number>;
  /** Deletes the oldest resources over all scopes beyond the newest `keep`; returns how many went. */
  trimAll(keep: number): Promise<number>;
  /** Deletes up to `limit` resources stored before `cutoff` (ms), oldest first; returns how many went. */
  deleteStoredBefore(cutoff: number, limit: number): Promise<number>;
}

export interface SequencedResource {
  resource: Resource;
  sequence: number;
}

export interface StoredPage {
  /** In the order they were stored (by sequence where they have one); `sequence` absent on resources stored before sequences. */
  items: Array<{ resource: Resource; storedAt: number; sequence?: number }>;
  /** How many resources the range holds, before offset and limit. */
  total: number;
}

export interface ResourceStoreOptions {
  /** An attribute whose value must be unique within a scope (eventId for events). */
  uniqueAttribute?: string;
  /** Its resources are stored with sequences (events): lists sort by them. */
  sequenced?: boolean;
  /** Attributes lists and counts filter on across scopes (a hub's owner): the database indexes them. */
  indexed?: readonly string[];
  /** Lists come back newest first, by when each was stored (the audit trail): the last stored first. */
  newestFirst?: boolean;
}

/** Every store the hub uses, with the lifecycle of whatever backs them. */
export interface Stores {
  topics: ResourceStore;
  events: ResourceStore;
  hubs: ResourceStore;
  listeners: ResourceStore;
  inbox: ResourceStore;
  /** Event schemas: scope TOP_LEVEL holds one entry per event type, scope {eventType} its versions (id = version). */
  schemas: ResourceStore;
  /** The audit trail: one record per state change and refusal, all in scope TOP_LEVEL, listed newest first. */
  audit: ResourceStore;
  /** The latest state of each resource of a topic (issue 28): scope the topic's id, id the resource's. */
  states: ResourceStore;
  /** What each applied ODA Component manifest made (issue 29, docs/oda.md): scope TOP_LEVEL, id the component's name. */
  odaComponents: ResourceStore;
  /** What the pollers of topics with a poll source keep: generation, baseline, credentials, lease. */
  polls: PollRecordStore;
  deliveries: DeliveryStore;
  /** Resolves when the backing store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
