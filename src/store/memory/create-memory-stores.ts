import type { Logger } from '../../logger';
import type { Stores } from '../store-types';
import { MemoryDeliveryStore } from './memory-delivery-store';
import { MemoryPollRecords } from './memory-poll-records';
import { MemoryResourceStore } from './memory-resource-store';

/** What keeps the embedded store's memory bounded under sustained load. */
export interface MemoryLimits {
  /** Events kept at most (HUB_MEMORY_MAX_EVENTS); the oldest go first. */
  maxEvents: number;
  /** Delivered and dead deliveries kept at most (HUB_MEMORY_MAX_DELIVERIES); pending ones always stay. */
  maxDeliveries: number;
  /** Audit records kept at most (HUB_MEMORY_MAX_AUDIT_RECORDS); the oldest go first. */
  maxAuditRecords: number;
}

/** The embedded in-memory store used when MONGODB_URL is unset. Nothing survives a restart. */
export function createMemoryStores(limits: MemoryLimits, logger: Logger): Stores {
  return {
    topics: new MemoryResourceStore(),
    events: new MemoryResourceStore({
      uniqueAttribute: 'eventId',
      sequenced: true,
      maxResources: limits.maxEvents,
      onFirstDrop: () => logger.warn('the embedded store holds HUB_MEMORY_MAX_EVENTS events: the oldest are dropped from now on', { maxEvents: limits.maxEvents }),
    }),
    hubs: new MemoryResourceStore(),
    listeners: new MemoryResourceStore(),
    inbox: new MemoryResourceStore(),
    schemas: new MemoryResourceStore(),
    audit: new MemoryResourceStore({
      newestFirst: true,
      maxResources: limits.maxAuditRecords,
      onFirstDrop: () =>
        logger.warn('the embedded store holds HUB_MEMORY_MAX_AUDIT_RECORDS audit records: the oldest are dropped from now on, before HUB_AUDIT_RETENTION', {
          maxAuditRecords: limits.maxAuditRecords,
        }),
    }),
    // The latest states are bounded like events (HUB_MEMORY_MAX_EVENTS over all topics): a poll source's
    // state dropped comes back as a CreateEvent at its next poll, which the warning says.
    states: new MemoryResourceStore({
      maxResources: limits.maxEvents,
      onFirstDrop: () =>
        logger.warn('the embedded store holds HUB_MEMORY_MAX_EVENTS latest states: the oldest are dropped from now on (a poll source publishes a dropped one again as created)', {
          maxEvents: limits.maxEvents,
        }),
    }),
    odaComponents: new MemoryResourceStore(),
    polls: new MemoryPollRecords(),
    deliveries: new MemoryDeliveryStore({
      maxFinished: limits.maxDeliveries,
      onFirstDrop: () =>
        logger.warn('the embedded store holds HUB_MEMORY_MAX_DELIVERIES finished deliveries: the oldest are dropped from now on, before their retention', {
          maxDeliveries: limits.maxDeliveries,
        }),
    }),
    ping: async () => undefined,
    close: async () => undefined,
  };
}
