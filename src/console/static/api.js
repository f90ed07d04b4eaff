// The hub's TMF688 API as seen from the console: JSON in and out, an optional Bearer key, TMF
// Error bodies turned into ApiError. URLs are relative to the page, so a hub served under a path
// prefix (behind a reverse proxy) still works.

export const API_BASE = new URL('../tmf-api/event/v4', document.baseURI).href;

const KEY_STORAGE = 'tmf688-hub.console.apiKey';
// Used when sessionStorage is unavailable (disabled storage); lost on reload.
let memoryKey = '';

export class ApiError extends Error {
  /** status 0 means the hub could not be reached at all. */
  constructor(status, reason, message) {
    super(message || reason);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
  }
}

export function getApiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

export function setApiKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage may be disabled; the key then lasts until the page is reloaded.
  }
  memoryKey = key;
}

export function authHeaders() {
  const key = getApiKey() || memoryKey;
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** An API URL: `path` below the API root, `query` an object (undefined and '' values left out). */
export function apiUrl(path, query = {}) {
  const url = new URL(API_BASE + path);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.append(name, String(value));
  }
  return url.href;
}

/** One path segment, encoded. */
export const seg = (value) => encodeURIComponent(String(value));

/** Builds an ApiError from a response status and its body (a TMF Error, or anything else). */
export function errorFrom(status, data, text = '') {
  if (data && typeof data === 'object' && (data.reason || data.message)) {
    return new ApiError(status, String(data.reason || data.code || `HTTP ${status}`), String(data.message || data.reason));
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiError(status, `HTTP ${status}`, snippet || `The hub answered ${status}`);
}

/**
 * Calls the API. Resolves with { status, body, total } (total from X-Total-Count) for a 2xx,
 * rejects with an ApiError otherwise.
 */
export async function request(path, { method = 'GET', query, body, signal } = {}) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(apiUrl(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Hub unreachable', `The hub could not be reached (${err && err.message ? err.message : err})`);
  }
  let text = '';
  try {
    text = await res.text();
  } catch {
    // A body cut short: the status still says what happened.
  }
  let data;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) throw errorFrom(res.status, data, text);
  const total = res.headers.get('X-Total-Count');
  return { status: res.status, body: data, total: total === null ? undefined : Number(total) };
}

/** The number of items a list operation would return (limit=0, X-Total-Count). */
export async function count(path, query = {}) {
  const res = await request(path, { query: { ...query, limit: 0 } });
  return res.total ?? 0;
}

/**
 * The newest `n` items of a list, newest first. Lists are in creation order (TMF630 has no
 * standard sort), so this reads the total and then the last page.
 */
export async function newest(path, n, query = {}) {
  const total = await count(path, query);
  if (total === 0) return { items: [], total };
  const res = await request(path, { query: { ...query, offset: Math.max(0, total - n), limit: n } });
  const items = Array.isArray(res.body) ? res.body.slice().reverse() : [];
  return { items, total: res.total ?? total };
}

/** A short text for the user: "reason: message", without repeating itself. */
export function describeError(err) {
  if (err instanceof ApiError) {
    const head = err.status ? `${err.reason} (${err.status})` : err.reason;
    return err.message && err.message !== err.reason ? `${head}: ${err.message}` : head;
  }
  return err && err.message ? err.message : String(err);
}
