import { isIPv4, isIPv6 } from 'node:net';

/** Typed configuration read once from the environment. A bad value stops the start, naming the variable. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Base of every href and Location, e.g. https://hub.example.com; undefined uses the request's host. */
  publicUrl?: string;
  logLevel: LogLevel;
  listDefaultLimit: number;
  listMaxLimit: number;
  maxBodyBytes: number;
  mongodbUrl?: string;
  dbName?: string;
  /** How long a MongoDB operation waits for a reachable server before the API answers 503. */
  dbTimeoutMs: number;
  dbConnectAttempts: number;
  /** Delays before the 2nd, 3rd, ... delivery attempt. */
  retrySchedule: number[];
  deliveryTimeoutMs: number;
  retryAfterMaxMs: number;
  deliveryConcurrency: number;
  deliveryConcurrencyPerHub: number;
  deliveryPollMs: number;
  listenerSuffix: boolean;
  workerEnabled: boolean;
  shutdownGraceMs: number;
  callbackPolicy: 'private-allowed' | 'public-only';
  callbackAllow: string[];
  /** Bearer keys any API call must carry; empty means the API is open. */
  apiKeys: string[];
  /** How often an idle live event stream reads the store (events other processes published). */
  streamPollMs: number;
  /** How often an open event stream sends a heartbeat comment. */
  streamHeartbeatMs: number;
  /** Entries kept per mock inbox; the oldest go first. */
  inboxLimit: number;
  /** Delivered and dead deliveries are deleted this long after they finished; 0 keeps them forever. */
  deliveryRetentionMs: number;
  /** Load the sample data of seeds/ once the server listens (HUB_SEED). */
  seed: boolean;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Every variable, its default and meaning; `--help` and the README table are written from this. */
export const CONFIG_VARIABLES = [
  ['PORT', '8080', 'HTTP port to listen on'],
  ['HOST', '0.0.0.0', 'Interface to listen on'],
  ['HUB_PUBLIC_URL', '(request host)', 'Public base URL used in href and Location, e.g. https://hub.example.com'],
  ['LOG_LEVEL', 'info', 'debug, info, warn, error or silent'],
  ['HUB_LIST_DEFAULT_LIMIT', '100', 'Page size of list operations when the request gives no limit'],
  ['HUB_LIST_MAX_LIMIT', '1000', 'Largest limit a list request may ask for (larger is a 400)'],
  ['HUB_MAX_BODY', '1mb', 'Largest request body accepted (larger is a 413); bytes, or with kb / mb'],
  ['MONGODB_URL', '(unset)', 'MongoDB connection string; unset uses the embedded in-memory store'],
  ['HUB_DB_NAME', '(from URL, else tmf688)', 'MongoDB database name when the URL has none'],
  ['HUB_DB_TIMEOUT', '5s', 'How long a MongoDB operation waits for the database before the API answers 503'],
  ['HUB_DB_CONNECT_ATTEMPTS', '10', 'Connection attempts at start (one per HUB_DB_TIMEOUT) before the process gives up'],
  ['HUB_RETRY_SCHEDULE', '5s,30s,2m,10m,1h,6h', 'Delays before each retry of a failed delivery (±20% jitter); when used up the delivery is dead'],
  ['HUB_DELIVERY_TIMEOUT', '10s', 'Time limit of one delivery attempt (connect, send, answer)'],
  ['HUB_RETRY_AFTER_MAX', '1h', 'Largest Retry-After (on 429 and 503) that is honoured'],
  ['HUB_DELIVERY_CONCURRENCY', '64', 'Delivery attempts in flight at once in this process'],
  ['HUB_DELIVERY_CONCURRENCY_PER_HUB', '4', 'Delivery attempts in flight at once to one hub'],
  ['HUB_DELIVERY_POLL', '1s', 'How often the worker looks for due retries and work from other processes'],
  ['HUB_LISTENER_SUFFIX', 'false', 'true appends /listener/{eventType in lowerCamel} to every callback'],
  ['HUB_WORKER_ENABLED', 'true', 'false runs the API only (deliveries are then sent by other processes)'],
  ['HUB_DELIVERY_RETENTION', '30d', 'How long delivered and dead deliveries (and their attempt log) are kept after they finished; 0 keeps them forever'],
  ['HUB_SHUTDOWN_GRACE', '10s', 'How long shutdown waits for delivery attempts in flight'],
  ['HUB_CALLBACK_POLICY', 'private-allowed', 'public-only also refuses loopback, private, CGNAT and unique-local callback addresses'],
  ['HUB_CALLBACK_ALLOW', '(none)', 'Comma-separated CIDRs allowed under public-only anyway, e.g. 10.20.0.0/16'],
  ['HUB_API_KEYS', '(none)', 'Comma-separated keys; when set every API call needs Authorization: Bearer <key>'],
  ['HUB_STREAM_POLL', '1s', 'How often an idle live event stream reads the store, to see events published by other processes'],
  ['HUB_STREAM_HEARTBEAT', '15s', 'How often an open live event stream sends a comment, so proxies keep it open'],
  ['HUB_INBOX_LIMIT', '1000', 'Notifications kept per mock inbox (/inbox/{name}, /listener/*); the oldest are dropped first'],
  ['HUB_SEED', 'false', 'true loads the sample topics, hubs and events of seeds/ at start, delivering to the hub\'s own inbox'],
] as const;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const listDefaultLimit = integer(env, 'HUB_LIST_DEFAULT_LIMIT', 100, 1);
  const listMaxLimit = integer(env, 'HUB_LIST_MAX_LIMIT', 1000, 1);
  if (listDefaultLimit > listMaxLimit) {
    throw new ConfigError('HUB_LIST_DEFAULT_LIMIT', `(${listDefaultLimit}) must not exceed HUB_LIST_MAX_LIMIT (${listMaxLimit})`);
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: nonEmpty(env, 'HOST') ?? '0.0.0.0',
    publicUrl: publicUrl(env),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    listDefaultLimit,
    listMaxLimit,
    maxBodyBytes: byteSize(env, 'HUB_MAX_BODY', 1024 * 1024),
    mongodbUrl: mongoUrl(env),
    dbName: nonEmpty(env, 'HUB_DB_NAME'),
    dbTimeoutMs: duration(env, 'HUB_DB_TIMEOUT', 5000, 100),
    dbConnectAttempts: integer(env, 'HUB_DB_CONNECT_ATTEMPTS', 10, 1),
    retrySchedule: schedule(env, 'HUB_RETRY_SCHEDULE', '5s,30s,2m,10m,1h,6h'),
    deliveryTimeoutMs: duration(env, 'HUB_DELIVERY_TIMEOUT', 10_000, 10),
    retryAfterMaxMs: duration(env, 'HUB_RETRY_AFTER_MAX', 3_600_000, 0),
    deliveryConcurrency: integer(env, 'HUB_DELIVERY_CONCURRENCY', 64, 1, 10_000),
    deliveryConcurrencyPerHub: integer(env, 'HUB_DELIVERY_CONCURRENCY_PER_HUB', 4, 1, 10_000),
    deliveryPollMs: duration(env, 'HUB_DELIVERY_POLL', 1000, 10),
    listenerSuffix: boolean(env, 'HUB_LISTENER_SUFFIX', false),
    workerEnabled: boolean(env, 'HUB_WORKER_ENABLED', true),
    shutdownGraceMs: duration(env, 'HUB_SHUTDOWN_GRACE', 10_000, 0),
    callbackPolicy: oneOf(env, 'HUB_CALLBACK_POLICY', ['private-allowed', 'public-only'] as const, 'private-allowed'),
    callbackAllow: cidrs(env, 'HUB_CALLBACK_ALLOW'),
    apiKeys: apiKeys(env, 'HUB_API_KEYS'),
    streamPollMs: duration(env, 'HUB_STREAM_POLL', 1000, 10),
    streamHeartbeatMs: duration(env, 'HUB_STREAM_HEARTBEAT', 15_000, 100),
    inboxLimit: integer(env, 'HUB_INBOX_LIMIT', 1000, 1, 1_000_000),
    deliveryRetentionMs: duration(env, 'HUB_DELIVERY_RETENTION', 30 * 86_400_000, 0),
    seed: boolean(env, 'HUB_SEED', false),
  };
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration such as 500ms, 5s, 2m, 1h or 1d (a bare number is milliseconds) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']);
}

function duration(env: NodeJS.ProcessEnv, name: string, fallbackMs: number, minMs: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallbackMs;
  const ms = parseDuration(raw);
  if (ms === undefined || ms < minMs) {
    throw new ConfigError(name, `must be a duration of at least ${minMs}ms such as 500ms, 5s or 2m, got "${raw}"`);
  }
  return ms;
}

/** A comma-separated list of durations; empty means no retries (`HUB_RETRY_SCHEDULE=` is not empty: it is unset). */
function schedule(env: NodeJS.ProcessEnv, name: string, fallback: string): number[] {
  const raw = nonEmpty(env, name) ?? fallback;
  if (raw.trim().toLowerCase() === 'none') return [];
  return raw.split(',').map((part) => {
    const ms = parseDuration(part);
    if (ms === undefined) {
      throw new ConfigError(name, `must be comma-separated durations such as 5s,30s,2m (or none), got "${raw}"`);
    }
    return ms;
  });
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (nonEmpty(env, name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function cidrs(env: NodeJS.ProcessEnv, name: string): string[] {
  const values = list(env, name);
  for (const cidr of values) {
    const [address, bits] = cidr.split('/');
    const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
    if (max < 0 || bits === undefined || !/^\d+$/.test(bits) || Number(bits) > max) {
      throw new ConfigError(name, `must be comma-separated CIDR ranges such as 10.20.0.0/16 or fd12::/16, got "${cidr}"`);
    }
  }
  return values;
}

function apiKeys(env: NodeJS.ProcessEnv, name: string): string[] {
  const keys = list(env, name);
  // The value itself is never echoed: it is a secret.
  if (keys.some((k) => k.length < 16 || /\s/.test(k))) throw new ConfigError(name, 'must be keys of at least 16 characters without spaces');
  return keys;
}

function byteSize(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/.exec(raw);
  if (!match || Number(match[1]) === 0) throw new ConfigError(name, `must be a size such as 1048576, 512kb or 1mb, got "${raw}"`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b') as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}

function publicUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = nonEmpty(env, 'HUB_PUBLIC_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('HUB_PUBLIC_URL', `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('HUB_PUBLIC_URL', `must be an absolute http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function mongoUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = nonEmpty(env, 'MONGODB_URL');
  if (raw !== undefined && !/^mongodb(\+srv)?:\/\/[^/]+/.test(raw)) {
    throw new ConfigError('MONGODB_URL', 'must start with mongodb:// or mongodb+srv:// followed by a host');
  }
  return raw;
}
