import { randomUUID } from 'node:crypto';

/** What an incoming X-Request-Id may be to be kept: short, and nothing a log line or header could be confused by. */
const REQUEST_ID = /^[\w.-]{1,128}$/;

/**
 * The id of a request: a sane incoming X-Request-Id (so a caller can follow its request through the
 * hub's logs), else a new one. The HTTP API and the WebSocket upgrade both take it from here.
 */
export function requestIdFrom(incoming: string | readonly string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
