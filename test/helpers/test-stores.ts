import { randomUUID } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { memoryLimits } from '../../src/store/create-stores';
import { createMemoryStores } from '../../src/store/memory/create-memory-stores';
import { createMongoClient } from '../../src/store/mongo/connect-mongo';
import { createMongoStores } from '../../src/store/mongo/create-mongo-stores';
import type { Stores } from '../../src/store/store-types';
import { urlWithDatabase } from './url-with-database';

/** Set in CI's second run: every suite then runs on MongoDB instead of the embedded store. */
export const MONGODB_URL = process.env.MONGODB_URL || undefined;
export const STORE_KIND = MONGODB_URL ? 'mongodb' : 'memory';

let shared: MongoClient | undefined;
const databases = new Set<string>();

/** One client per test file, shared by every app the file builds. */
export async function sharedMongoClient(): Promise<MongoClient> {
  if (!MONGODB_URL) throw new Error('MONGODB_URL is not set');
  if (!shared) {
    shared = createMongoClient(MONGODB_URL, 2000);
    await shared.connect();
  }
  return shared;
}

/** A database name no other test uses. */
export function uniqueDbName(): string {
  const name = `tmf688_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  databases.add(name);
  return name;
}

/**
 * Environment for a hub process of its own on a fresh database: MONGODB_URL with the database path
 * set to a unique name (the URL's database wins over HUB_DB_NAME, so naming it there is not
 * enough). Empty on the embedded store. Processes meant to share a database share one result.
 */
export function freshDatabaseEnv(): Record<string, string> {
  return MONGODB_URL ? { MONGODB_URL: urlWithDatabase(MONGODB_URL, uniqueDbName()) } : {};
}

/** A fresh embedded store with the production limits (HUB_MEMORY_MAX_*), logging nothing. */
export function memoryStores(): Stores {
  const config = loadConfig({});
  return createMemoryStores(memoryLimits(config), createLogger('silent'));
}

/** Fresh, empty stores of the configured kind: the embedded store, or a new MongoDB database. */
export async function createTestStores(): Promise<{ stores: Stores; cleanup: () => Promise<void> }> {
  if (!MONGODB_URL) return { stores: memoryStores(), cleanup: async () => undefined };
  const client = await sharedMongoClient();
  const dbName = uniqueDbName();
  const stores = await createMongoStores(client, dbName, false);
  return {
    stores,
    cleanup: async () => {
      await client.db(dbName).dropDatabase();
      databases.delete(dbName);
    },
  };
}

/** Drops what the file's tests left behind and closes the shared client (registered in jest-setup). */
export async function releaseTestStores(): Promise<void> {
  // Files that only start hub processes never opened the client, but their processes made databases.
  if (!shared && databases.size > 0) await sharedMongoClient().catch(() => undefined);
  if (!shared) return;
  for (const name of databases) await shared.db(name).dropDatabase().catch(() => undefined);
  databases.clear();
  await shared.close();
  shared = undefined;
}
