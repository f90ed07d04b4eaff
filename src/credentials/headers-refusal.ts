/** Headers a hub may send at most. */
export const MAX_HEADERS = 20;
const MAX_NAME = 256;
const MAX_VALUE = 4096;

/** RFC 9110 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 field value: visible characters, spaces and tabs inside, no control character. */
const FIELD_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\x20\x09\x21-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;

/** Names the hub sets itself on every attempt, or that belong to the connection: never a hub's own. */
const RESERVED = new Map<string, string>([
  ['content-type', 'the hub sets it for the notification it sends'],
  ['content-length', 'the hub sets it for the notification it sends'],
  ['host', 'it is the callback URL\'s host'],
  ['connection', 'it belongs to the connection, not the notification'],
  ['transfer-encoding', 'it belongs to the connection, not the notification'],
  ['keep-alive', 'it belongs to the connection, not the notification'],
  ['upgrade', 'it belongs to the connection, not the notification'],
  ['te', 'it belongs to the connection, not the notification'],
  ['trailer', 'it belongs to the connection, not the notification'],
  ['expect', 'it belongs to the connection, not the notification'],
  ['traceparent', 'the hub sends the trace context of each attempt'],
  ['tracestate', 'the hub sends the trace context of each attempt'],
]);

/** Why the header name may not be a hub's own, or undefined. `withAuth`: the hub has `auth`, which sets Authorization. */
export function reservedHeaderReason(name: string, withAuth: boolean): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('webhook-')) return 'the webhook-* headers are the hub\'s (Standard Webhooks)';
  if (lower.startsWith('ce-')) return 'the ce-* headers are the hub\'s (CloudEvents binary mode)';
  if (lower === 'authorization' && withAuth) return 'auth sets it: give the credential in auth, or drop auth';
  return RESERVED.get(lower);
}

/**
 * Why a `headers` input is refused, naming the header (values are never quoted: one may be a key),
 * or undefined: an object of at most 20 header names (RFC 9110 tokens, none reserved, none twice
 * whatever the case) to string values.
 */
export function headersRefusal(value: unknown, withAuth: boolean): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'headers: must be an object of header names to string values';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) return `headers: at most ${MAX_HEADERS} headers, not ${entries.length}`;
  const seen = new Set<string>();
  for (const [name, headerValue] of entries) {
    const shown = JSON.stringify(name.slice(0, MAX_NAME));
    if (name.length === 0 || name.length > MAX_NAME || !TOKEN.test(name)) return `headers: ${shown} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`;
    const reserved = reservedHeaderReason(name, withAuth);
    if (reserved) return `headers.${name}: may not be set: ${reserved}`;
    if (seen.has(name.toLowerCase())) return `headers.${name}: given twice (header names are case-insensitive)`;
    seen.add(name.toLowerCase());
    if (typeof headerValue !== 'string') return `headers.${name}: the value must be a string`;
    if (headerValue.length > MAX_VALUE) return `headers.${name}: the value is longer than ${MAX_VALUE} characters`;
    if (!FIELD_VALUE.test(headerValue)) return `headers.${name}: the value may hold only visible characters and inner spaces (no control character, no line break)`;
  }
  return undefined;
}
