import { MongoError, MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import type { Document } from 'mongodb';
import { StoreUnavailableError } from '../store-errors';
import { assertStorableSize, refusalOf } from './document-refusal';

/** Errors that mean "the database cannot be reached right now", as opposed to a bad operation. */
export function isUnavailable(err: unknown): boolean {
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError
  ) {
    return true;
  }
  // A pool cleared after a network failure, or a server shutting down / stepping down.
  return err instanceof MongoError && (err.name === 'PoolClearedError' || err.hasErrorLabel('ResetPool'));
}

/** Runs a driver call, turning unavailability into StoreUnavailableError (503 at the edge). */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (isUnavailable(err)) throw new StoreUnavailableError(err);
    throw err;
  }
}

/**
 * guarded() for a write of `documents`: a document no MongoDB stores is refused before anything is
 * sent, and a refusal by the server or the driver becomes DocumentRefusedError (400 at the edge),
 * naming the attribute under `userRoot` when the refusal says which.
 */
export async function guardedWrite<T>(documents: readonly Document[], operation: () => Promise<T>, userRoot?: string): Promise<T> {
  for (const document of documents) assertStorableSize(document);
  try {
    return await guarded(operation);
  } catch (err) {
    throw refusalOf(err, documents, userRoot) ?? err;
  }
}
