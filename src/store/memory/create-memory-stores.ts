import type { Stores } from '../store-types';
import { MemoryDeliveryStore } from './memory-delivery-store';
import { MemoryResourceStore } from './memory-resource-store';

/** The embedded in-memory store used when MONGODB_URL is unset. Nothing survives a restart. */
export function createMemoryStores(): Stores {
  return {
    topics: new MemoryResourceStore(),
    events: new MemoryResourceStore({ uniqueAttribute: 'eventId' }),
    hubs: new MemoryResourceStore(),
    listeners: new MemoryResourceStore(),
    inbox: new MemoryResourceStore(),
    schemas: new MemoryResourceStore(),
    deliveries: new MemoryDeliveryStore(),
    ping: async () => undefined,
    close: async () => undefined,
  };
}
