import type { Config } from '../config';
import type { Logger } from '../logger';
import { createMemoryStores } from './memory/create-memory-stores';
import type { Stores } from './store-types';

/** Chooses the store from configuration: MONGODB_URL set means MongoDB, unset the embedded store. */
export async function createStores(config: Pick<Config, 'mongodbUrl' | 'dbName'>, logger: Logger): Promise<Stores> {
  if (config.mongodbUrl) {
    throw new Error('MongoDB storage is not available in this build yet; unset MONGODB_URL to use the embedded store');
  }
  logger.info('using the embedded in-memory store; data is lost when the process stops');
  return createMemoryStores();
}
