import { formatDuration, parseDuration } from '../config/parsers';
import { authRefusal } from '../credentials/auth-refusal';
import type { ListenerAuth } from '../credentials/listener-credentials';
import { authOf } from '../credentials/read-credentials';
import { shownCredentials, type ShownAuth } from '../credentials/shown-credentials';
import { longerThan } from '../text/character-count';

/** The attribute that makes a topic `source` a poll source, naming the URL. */
export const POLL_KEY = 'poll';
export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_INTERVAL = '1m';
const MAX_URL = 2048;
const TYPE_PATTERN = /^[A-Z][A-Za-z0-9]{0,99}$/;

/** A poll source as the topic keeps and shows it: `auth` without its secrets (the poller keeps those apart). */
export interface PollSource {
  poll: string;
  /** In the hub's duration format, as formatDuration writes it: `10s`, `5m`. */
  interval: string;
  resourceType?: string;
  emitInitial: boolean;
  auth?: ShownAuth;
}

/** A poll source read from a request: what the topic shows, and the auth to poll with (write-only). */
export interface ReadPollSource {
  source: PollSource;
  auth?: ListenerAuth;
}

/** What the hub writes on the source and a client never sends. */
const READ_ONLY = ['lastPollAt', 'lastError'];
const ATTRIBUTES = [POLL_KEY, 'interval', 'resourceType', 'emitInitial', 'auth'];
export const POLL_SHAPE = '{"poll": "<http(s) URL>", "interval": "10s", "resourceType": "ProductOrder", "emitInitial": false, "auth": {...}}';

function urlRefusal(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be the http or https URL of a TMF list or resource';
  if (longerThan(value, MAX_URL)) return `is longer than ${MAX_URL} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry user information: send credentials as source.auth (write-only)';
  return undefined;
}

function intervalOf(value: unknown): number | string {
  if (value === undefined) return parseDuration(DEFAULT_INTERVAL)!;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) return `source.interval: must be a duration such as 10s, 5m or 1h, got ${JSON.stringify(value)}`;
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) return `source.interval: must be from 1s to 24h, got ${JSON.stringify(value)}`;
  return ms;
}

/**
 * Reads a poll source as sent in a topic's `source`: what to keep, or why it is refused (naming the
 * attribute, never quoting a secret). `interval` defaults to 1m and is kept as formatDuration writes
 * it; `auth` takes the shapes of a hub's credentials (bearer, basic, OAuth2 client credentials) and
 * is kept apart: the topic shows only what shownCredentials shows. Pure.
 */
export function readPollSource(value: Readonly<Record<string, unknown>>): ReadPollSource | string {
  for (const name of Object.keys(value)) {
    if (READ_ONLY.includes(name)) return `source.${name}: the hub records it; a client never sends it`;
    if (!ATTRIBUTES.includes(name)) return `source.${name}: not an attribute of a poll source: ${POLL_SHAPE}`;
  }
  const refusedUrl = urlRefusal(value.poll);
  if (refusedUrl) return `source.poll: ${refusedUrl}`;
  const intervalMs = intervalOf(value.interval);
  if (typeof intervalMs === 'string') return intervalMs;
  const { resourceType, emitInitial = false, auth } = value;
  if (resourceType !== undefined && (typeof resourceType !== 'string' || !TYPE_PATTERN.test(resourceType))) {
    return 'source.resourceType: must be a TMF resource type such as ProductOrder (a letter, then letters and digits, capitalised)';
  }
  if (typeof emitInitial !== 'boolean') return 'source.emitInitial: must be true or false';
  const source: PollSource = { poll: value.poll as string, interval: formatDuration(intervalMs), emitInitial };
  if (resourceType !== undefined) source.resourceType = resourceType as string;
  if (auth === undefined) return { source };
  const refusedAuth = authRefusal(auth);
  if (refusedAuth) return `source.${refusedAuth}`;
  const kept = authOf(auth as Record<string, unknown>);
  source.auth = shownCredentials({ auth: kept }).auth;
  return { source, auth: kept };
}

/** A stored poll source's interval in ms (stored sources were checked when their topic was created). Pure. */
export const pollIntervalMs = (source: Pick<PollSource, 'interval'>): number => parseDuration(source.interval) ?? parseDuration(DEFAULT_INTERVAL)!;

/** What keys a poll source's OAuth2 token in the credentialed client's cache (beside the hubs' ids). Pure. */
export const pollCredentialKey = (topicId: string): string => `poll:${topicId}`;
