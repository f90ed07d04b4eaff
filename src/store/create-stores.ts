import type { Config } from '../config';
import type { Logger } from '../logger';
import { createMemoryStores, type MemoryLimits } from './memory/create-memory-stores';
import { connectMongo, databaseFromUrl } from './mongo/connect-mongo';
import { createMongoStores } from './mongo/create-mongo-stores';
import type { Stores } from './store-types';

export const DEFAULT_DB_NAME = 'tmf688';

type StoreConfig = Pick<Config, 'mongodbUrl' | 'dbName' | 'dbTimeoutMs' | 'dbConnectAttempts' | 'memoryMaxEvents' | 'memoryMaxDeliveries' | 'memoryMaxAuditRecords'>;

/** The embedded store's caps, from configuration (HUB_MEMORY_MAX_*). */
export const memoryLimits = (config: Pick<Config, 'memoryMaxEvents' | 'memoryMaxDeliveries' | 'memoryMaxAuditRecords'>): MemoryLimits => ({
  maxEvents: config.memoryMaxEvents,
  maxDeliveries: config.memoryMaxDeliveries,
  maxAuditRecords: config.memoryMaxAuditRecords,
});

/** Chooses the store from configuration: MONGODB_URL set means MongoDB, unset the embedded store. */
export async function createStores(config: StoreConfig, logger: Logger): Promise<Stores> {
  if (!config.mongodbUrl) {
    logger.info('using the embedded in-memory store; data is lost when the process stops');
    return createMemoryStores(memoryLimits(config), logger);
  }
  const client = await connectMongo(
    config.mongodbUrl,
    { timeoutMs: config.dbTimeoutMs, attempts: config.dbConnectAttempts, retryDelayMs: 1000 },
    logger,
  );
  const dbName = databaseFromUrl(config.mongodbUrl) ?? config.dbName ?? DEFAULT_DB_NAME;
  logger.info('using MongoDB', { database: dbName });
  return createMongoStores(client, dbName);
}
