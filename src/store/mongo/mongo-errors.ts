import { MongoError, MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { StoreUnavailableError } from '../store-errors';

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
