import type { Db, MongoClient } from 'mongodb';
import type { Stores } from '../store-types';
import { guarded } from './mongo-errors';
import { MongoDeliveryStore } from './mongo-delivery-store';
import { MongoPollRecords } from './mongo-poll-records';
import { MongoResourceStore } from './mongo-resource-store';
import { scopeCounters } from './scope-counters';
import type { SequenceDocument } from './sequence-counter';

export const COLLECTIONS = {
  topics: 'topics',
  events: 'events',
  hubs: 'hubs',
  listeners: 'listeners',
  inbox: 'inbox',
  schemas: 'schemas',
  audit: 'auditRecords',
  states: 'states',
  polls: 'pollRecords',
  odaComponents: 'odaComponents',
  deliveries: 'deliveries',
  workers: 'workers',
  sequences: 'sequences',
} as const;

/**
 * The stores on one MongoDB database, indexes created. `closeClient` says whether Stores.close()
 * also closes the client (the composition root owns it; tests may share one client).
 */
export async function createMongoStores(client: MongoClient, dbName: string, closeClient = true): Promise<Stores> {
  const db: Db = client.db(dbName);
  // What the server can do decides how sequence numbers are taken: asked once, before any store is made.
  const counterFor = await scopeCounters(db.collection<SequenceDocument>(COLLECTIONS.sequences));
  const make = (name: string, options = {}) => new MongoResourceStore(db.collection(name), options, counterFor(name));
  const resources = {
    topics: make(COLLECTIONS.topics),
    events: make(COLLECTIONS.events, { uniqueAttribute: 'eventId', sequenced: true }),
    // Lists and the hubs quota filter by owner across topics.
    hubs: make(COLLECTIONS.hubs, { indexed: ['owner'] }),
    listeners: make(COLLECTIONS.listeners, { indexed: ['owner'] }),
    inbox: make(COLLECTIONS.inbox),
    schemas: make(COLLECTIONS.schemas),
    audit: make(COLLECTIONS.audit, { newestFirst: true }),
    states: make(COLLECTIONS.states),
    odaComponents: make(COLLECTIONS.odaComponents),
  };
  const polls = new MongoPollRecords(db.collection(COLLECTIONS.polls));
  const deliveries = new MongoDeliveryStore(db.collection(COLLECTIONS.deliveries), db.collection(COLLECTIONS.workers));
  for (const store of [...Object.values(resources), deliveries, polls]) await store.ensureIndexes();
  return {
    ...resources,
    polls,
    deliveries,
    ping: async () => {
      await guarded(() => db.command({ ping: 1 }));
    },
    close: async () => {
      if (closeClient) await client.close();
    },
  };
}
