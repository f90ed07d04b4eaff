import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { Logger } from '../../logger';

export interface MongoConnectOptions {
  /** How long an operation waits for a reachable server before failing (then the API answers 503). */
  timeoutMs: number;
  /** Connection attempts at start before giving up. */
  attempts: number;
  /** Pause between attempts. */
  retryDelayMs: number;
}

/** The URL with any password replaced, for logs and error messages. */
export function redactMongoUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

/** The database named in the URL path, if any (mongodb://host/dbname?options). */
export function databaseFromUrl(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** The hub's client; `extra` adds driver options to these (a test's `monitorCommands`), never replacing them. */
export function createMongoClient(url: string, timeoutMs: number, extra: MongoClientOptions = {}): MongoClient {
  return new MongoClient(url, {
    ...extra,
    // An absent optional attribute stays absent, as in the embedded store (the driver's default writes null).
    ignoreUndefined: true,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    // An operation sent to a server that stops answering fails after this instead of hanging.
    socketTimeoutMS: timeoutMs * 3,
    // The driver's monitor re-checks a lost server this often; it bounds recovery after an outage.
    heartbeatFrequencyMS: Math.max(500, Math.min(10_000, timeoutMs)),
  });
}

/** Connects with bounded retries, logging each failure; throws after the last attempt. */
export async function connectMongo(url: string, options: MongoConnectOptions, logger: Logger): Promise<MongoClient> {
  const where = redactMongoUrl(url);
  for (let attempt = 1; ; attempt++) {
    const client = createMongoClient(url, options.timeoutMs);
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      logger.info('connected to MongoDB', { url: where, attempt });
      return client;
    } catch (err) {
      await client.close().catch(() => undefined);
      const reason = err instanceof Error ? err.message : String(err);
      if (attempt >= options.attempts) {
        throw new Error(`Cannot reach MongoDB at ${where} after ${attempt} attempts: ${reason}`);
      }
      logger.warn('MongoDB not reachable, retrying', { url: where, attempt, of: options.attempts, reason });
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
    }
  }
}
