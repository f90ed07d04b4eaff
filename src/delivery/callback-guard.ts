import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { IpRanges } from './ip-ranges';
import { parseTarget } from './target-cache';

export type CallbackPolicy = 'private-allowed' | 'public-only';

/** Refused whatever the policy: cloud metadata services, link-local, unspecified, multicast, broadcast. */
const ALWAYS_REFUSED = new IpRanges()
  .add('169.254.0.0/16', 'link-local (cloud metadata)')
  .add('fe80::/10', 'link-local')
  .add('fd00:ec2::254/128', 'cloud metadata (AWS IPv6)')
  .add('100.100.100.200/32', 'cloud metadata (Alibaba)')
  .add('168.63.129.16/32', 'cloud metadata (Azure)')
  .add('0.0.0.0/8', '"this network"')
  .add('::/128', 'unspecified')
  .add('224.0.0.0/4', 'multicast')
  .add('ff00::/8', 'multicast')
  .add('255.255.255.255/32', 'broadcast');

/** Refused with HUB_CALLBACK_POLICY=public-only, unless HUB_CALLBACK_ALLOW lets them through. */
const PRIVATE = new IpRanges()
  .add('127.0.0.0/8', 'loopback')
  .add('::1/128', 'loopback')
  .add('10.0.0.0/8', 'private (RFC 1918)')
  .add('172.16.0.0/12', 'private (RFC 1918)')
  .add('192.168.0.0/16', 'private (RFC 1918)')
  .add('100.64.0.0/10', 'carrier-grade NAT')
  .add('fc00::/7', 'unique local');

export interface CallbackGuardOptions {
  policy: CallbackPolicy;
  /** CIDRs allowed even under public-only (never the always-refused ranges). */
  allow: readonly string[];
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export class CallbackRefusedError extends Error {
  readonly code = 'ECALLBACKREFUSED';
}

/**
 * Decides where the hub may POST. Checked when a hub is created (literal and resolvable hosts) and
 * again on the address actually connected to at every attempt, so DNS rebinding cannot get around it.
 */
/** Verdicts are pure functions of their input; callbacks are few, so each is worked out once. */
const CACHE_LIMIT = 10_000;

function remembered<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

export class CallbackGuard {
  private readonly allowed = new IpRanges();
  private readonly ipVerdicts = new Map<string, string | undefined>();
  private readonly urlVerdicts = new Map<string, string | undefined>();

  constructor(
    private readonly options: CallbackGuardOptions,
    private readonly resolve: Lookup = dnsLookup as unknown as Lookup,
  ) {
    for (const cidr of options.allow) this.allowed.add(cidr, 'allowed');
  }

  /** Why an address is refused, or undefined when it may be used. */
  refusal(ip: string): string | undefined {
    return remembered(this.ipVerdicts, ip, () => this.decide(ip));
  }

  private decide(ip: string): string | undefined {
    const always = ALWAYS_REFUSED.reason(ip);
    if (always) return `${ip} is ${always}`;
    if (this.options.policy !== 'public-only' || this.allowed.reason(ip)) return undefined;
    const privateRange = PRIVATE.reason(ip);
    return privateRange ? `${ip} is ${privateRange}, refused by HUB_CALLBACK_POLICY=public-only` : undefined;
  }

  /** Checks scheme and, for a literal IP host, the address. Why the URL is refused, or undefined. */
  urlRefusal(url: string): string | undefined {
    return remembered(this.urlVerdicts, url, () => this.decideUrl(url));
  }

  private decideUrl(url: string): string | undefined {
    const target = parseTarget(url);
    if (typeof target === 'string') return target;
    return isIP(target.host) ? this.refusal(target.host) : undefined;
  }

  /** At hub creation: the URL, then every address its host resolves to (a host that does not resolve passes). */
  async creationRefusal(url: string): Promise<string | undefined> {
    const refused = this.urlRefusal(url);
    if (refused) return refused;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return undefined;
    const addresses = await new Promise<LookupAddress[]>((resolve) => this.resolve(host, { all: true }, (err, list) => resolve(err ? [] : list)));
    for (const { address } of addresses) {
      const reason = this.refusal(address);
      if (reason) return `${host} resolves to ${reason}`;
    }
    return undefined;
  }

  /** A dns.lookup replacement for the HTTP client's connections: refuses when any resolved address is refused. */
  readonly lookup: LookupFunction = (hostname, options, callback: LookupCallback): void => {
    const wantAll = options.all === true;
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    this.resolve(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, wantAll ? [] : '');
      const usable = family ? addresses.filter((a) => a.family === family) : addresses;
      for (const { address } of usable) {
        const reason = this.refusal(address);
        if (reason) return callback(new CallbackRefusedError(`refused: ${hostname} resolves to ${reason}`), wantAll ? [] : '');
      }
      if (usable.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), wantAll ? [] : '');
      if (wantAll) callback(null, usable);
      else callback(null, usable[0].address, usable[0].family);
    });
  };
}
