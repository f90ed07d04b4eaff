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

/**
 * With HUB_API_KEYS set, every other route needs `Authorization: Bearer <key>`. Keys are compared
 * as SHA-256 digests in constant time, and neither they nor the header are ever logged.
 */
export function apiKeyAuth(keys: readonly string[]): Middleware {
  const digests = keys.map(digest);
  return async function requireApiKey(ctx, next) {
    if (digests.length === 0 || isOpen(ctx.path)) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
    const given = match ? digest(match[1]) : undefined;
    if (!given || !digests.some((d) => timingSafeEqual(d, given))) {
      throw new TmfError(401, 'Unauthorized', 'Unauthorized', match ? 'The API key is not valid' : 'An API key is required: Authorization: Bearer <key>', {
        'WWW-Authenticate': 'Bearer realm="tmf688-hub"',
      });
    }
    return next();
  };
}
