import type { ListenerAuth } from '../credentials/listener-credentials';

/** The Authorization a bearer or basic auth sends; undefined for oauth2 (a token is fetched for it). */
export function staticAuthorization(auth: ListenerAuth | undefined): string | undefined {
  if (auth?.type === 'bearer') return `Bearer ${auth.token}`;
  if (auth?.type === 'basic') return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  return undefined;
}

/**
 * An attempt's headers with the listener's static headers (names as configured; one the hub sets
 * too under another case, such as User-Agent, replaces the hub's) and the Authorization, if any.
 * Validation kept the hub's own headers (content-type, webhook-*, ce-*, trace context) out of reach.
 */
export function withCredentialHeaders(base: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>> | undefined, authorization: string | undefined): Record<string, string> {
  const out: Record<string, string> = { ...base };
  if (headers) {
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower !== name) delete out[lower];
      out[name] = value;
    }
  }
  if (authorization !== undefined) out.authorization = authorization;
  return out;
}
