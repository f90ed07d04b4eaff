/** Where a request goes, as undici's dispatcher takes it. */
export interface Target {
  origin: string;
  /** Path and query string. */
  path: string;
  /** The host without IPv6 brackets: what the callback guard judges. */
  host: string;
}

/** Distinct URLs remembered at most; past it the cache starts again (callbacks are few, attackers' are not). */
const MAX_URLS = 10_000;

/**
 * Callback URLs parsed once, not on every attempt (a WHATWG URL parse per request cost about 18 us of
 * CPU, measured). A URL that does not parse is remembered as the reason, a string.
 */
export class TargetCache {
  private readonly byUrl = new Map<string, Target | string>();

  get(url: string): Target | string {
    let target = this.byUrl.get(url);
    if (target === undefined) {
      target = parseTarget(url);
      if (this.byUrl.size >= MAX_URLS) this.byUrl.clear();
      this.byUrl.set(url, target);
    }
    return target;
  }
}

/** The origin and path of an http(s) URL, or why it cannot be requested. */
export function parseTarget(url: string): Target | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not an absolute URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `the scheme must be http or https, not ${parsed.protocol.slice(0, -1)}`;
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, host: parsed.hostname.replace(/^\[|\]$/g, '') };
}
