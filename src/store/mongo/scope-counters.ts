import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { StoreUnavailableError } from '../store-errors';
import { IncrementCounter, incrementCounter } from './increment-counter';
import { guarded } from './mongo-errors';
import type { ScopeCounter } from './scope-counter';
import { SequenceCounter, type SequenceDocument } from './sequence-counter';

/** Which counter a store of the database uses, by the name of its collection. */
export type ScopeCounters = (collectionName: string) => ScopeCounter;

/**
 * The counters of a database, chosen once at start by what its server does: the one-round-trip
 * IncrementCounter when a counter created and then increased by it answers 1 and then 2, else the
 * compare-and-set SequenceCounter (a conditional update, which every server tried does atomically).
 * A server that refuses the update or answers anything else gets the compare-and-set; one that
 * cannot be reached fails the start, as the index creation beside it would.
 */
export async function scopeCounters(counters: Collection<SequenceDocument>): Promise<ScopeCounters> {
  const increments = await incrementWorks(counters);
  return (collectionName) => (increments ? new IncrementCounter(counters, collectionName) : new SequenceCounter(counters, collectionName));
}

async function incrementWorks(counters: Collection<SequenceDocument>): Promise<boolean> {
  const _id = `capability-probe:${randomUUID()}`;
  try {
    return (await incrementCounter(counters, _id)) === 1 && (await incrementCounter(counters, _id)) === 2;
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    return false;
  } finally {
    await guarded(() => counters.deleteOne({ _id })).catch(() => undefined);
  }
}
