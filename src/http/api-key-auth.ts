import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { TmfError } from '../errors';
import { OPEN_SITE_PATHS } from './site-routes';

/**
 * Paths that stay open whatever the keys: probes must work without credentials, and a browser must
 * be able to load the console and the documents (which hold no data; the console then sends the key).
 */
const OPEN_PATHS = new Set(['/health', '/ready']);
const isOpen = (path: string) => OPEN_PATHS.has(path) || OPEN_SITE_PATHS.some((pattern) => pattern.test(path));

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The key of an `Authorization: Bearer <key>` header; undefined when the header has none. */
export const bearerKey = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

/**
 * Checks a presented key against HUB_API_KEYS: undefined when it may pass (or no keys are set),
 * else the 401. Keys are compared as SHA-256 digests in constant time, and never logged.
 */
export function apiKeyCheck(keys: readonly string[]): (presented: string | undefined) => TmfError | undefined {
  const digests = keys.map(digest);
  return (presented) => {
    if (digests.length === 0) return undefined;
    const given = presented === undefined ? undefined : digest(presented);
    if (given && digests.some((d) => timingSafeEqual(d, given))) return undefined;
    return new TmfError(401, 'Unauthorized', 'Unauthorized', presented !== undefined ? 'The API key is not valid' : 'An API key is required: Authorization: Bearer <key>', {
      'WWW-Authenticate': 'Bearer realm="tmf688-hub"',
    });
  };
}

/** With HUB_API_KEYS set, every other route needs `Authorization: Bearer <key>`; neither the keys nor the header are ever logged. */
export function apiKeyAuth(keys: readonly string[]): Middleware {
  const check = apiKeyCheck(keys);
  return async function requireApiKey(ctx, next) {
    if (keys.length === 0 || isOpen(ctx.path)) return next();
    const refused = check(bearerKey(ctx.get('Authorization')));
    if (refused) throw refused;
    return next();
  };
}
