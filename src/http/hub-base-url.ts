import { isIPv6 } from 'node:net';
import { BadRequestError } from '../errors';
import { API_ROOTS } from './api-roots';

/** How a request reached the hub. */
export interface RequestAuthority {
  /** 'https' when the client reached the hub over TLS (Koa's ctx.protocol, the socket's encryption), else 'http'. */
  protocol: string;
  /** The Host header; a request may have none (HTTP/1.0). */
  host?: string;
  /** Its connection, whose local end is what a request without Host reached (read only then). */
  socket?: { readonly localAddress?: string; readonly localPort?: number };
}

/** Where the hub listens (HOST, PORT): all there is to go on when no request asked (events read from a topic source). */
export interface ListeningAddress {
  host: string;
  port: number;
  /** It serves HTTPS (HUB_TLS_CERT). */
  secure?: boolean;
}

export type Reached = { request: RequestAuthority } | { listening: ListeningAddress };

/**
 * The characters of a Host header as RFC 9110 allows it: a bracketed IPv6 literal or a name / IPv4
 * address, then an optional port. Without this a slash, `?` or `@` would still parse as a URL, with
 * part of the header moved into the path or the user info: hrefs pointing elsewhere.
 */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d*)?$/;

/**
 * The hub's own origin (scheme, host, port, and HUB_PUBLIC_URL's path prefix): the one rule behind
 * every href and Location. HUB_PUBLIC_URL when set; else how the request reached the hub; else,
 * with no request, where it listens. Always a valid URL: IPv6 literals are bracketed, and the
 * wildcard addresses (0.0.0.0, ::) are reached as localhost.
 */
export function hubOrigin(publicUrl: string | undefined, reached: Reached): string {
  if (publicUrl !== undefined) return normalisedPublicUrl(publicUrl);
  if ('listening' in reached) return `${reached.listening.secure ? 'https' : 'http'}://${urlHost(reached.listening.host)}:${reached.listening.port}`;
  const { protocol, host, socket } = reached.request;
  if (!host) return `${protocol}://${urlHost(socket?.localAddress ?? '')}${socket?.localPort === undefined ? '' : `:${socket.localPort}`}`;
  // The URL parser has the last word: a port past 65535, 999.1.1.1 or [1:2] have the right characters.
  if (!HOST_HEADER.test(host) || !URL.canParse(`${protocol}://${host}`)) throw new BadRequestError('The Host header is not a valid host[:port]', 'Invalid Host');
  return `${protocol}://${host}`;
}

/** The base of the hrefs of events no request brought (read from a topic source): create-hub hands it to the ingest. */
export function listeningBaseUrl(config: { publicUrl?: string; host: string; port: number; tlsCert?: string }): string {
  return `${hubOrigin(config.publicUrl, { listening: { host: config.host, port: config.port, secure: Boolean(config.tlsCert) } })}${API_ROOTS[0]}`;
}

/**
 * HUB_PUBLIC_URL as hrefs start with it: origin and path prefix, no trailing slash (every href is
 * base + path), no user info (it would be returned in every href), no query or fragment.
 */
function normalisedPublicUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** A listening or local address as a URL host. */
function urlHost(address: string): string {
  if (address === '' || address === '0.0.0.0') return 'localhost';
  if (!isIPv6(address)) return address;
  if (/^[0:]+$/.test(address)) return 'localhost';
  // A URL cannot carry an IPv6 zone (fe80::1%eth0): WHATWG URL refuses it, so it is left out.
  return `[${address.replace(/%.*$/, '')}]`;
}
