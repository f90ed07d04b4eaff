import { authRefusal } from './auth-refusal';
import { readClientCertificate } from './client-certificate';
import { headersRefusal } from './headers-refusal';
import { CREDENTIAL_ATTRIBUTES, type ListenerAuth, type ListenerCredentials, type ListenerTls } from './listener-credentials';

const TLS_INPUT = ['certificate', 'privateKey', 'ca'];
/** What answers show of `tls`: the hub reads them from the certificate, a client never sets them. */
const TLS_SHOWN = ['subject', 'fingerprint', 'expiresAt'];

function tlsOf(value: unknown, now: number): ListenerTls | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'tls: must be an object with certificate and privateKey (PEM), and optionally ca';
  const input = value as Record<string, unknown>;
  for (const name of Object.keys(input)) {
    if (TLS_SHOWN.includes(name)) return `tls.${name}: the hub reads it from the certificate; send certificate and privateKey`;
    if (!TLS_INPUT.includes(name)) return `tls.${name}: not an attribute of tls (it takes certificate, privateKey and ca)`;
  }
  for (const name of TLS_INPUT) {
    const given = input[name];
    if (given === undefined && name === 'ca') continue;
    if (typeof given !== 'string' || given === '') return `tls.${name}: ${name === 'ca' ? 'must be' : 'is required:'} a PEM string`;
  }
  return readClientCertificate(input as { certificate: string; privateKey: string; ca?: string }, now);
}

/** The auth input as kept: only the attributes of its type (authRefusal has checked them). */
export function authOf(input: Record<string, unknown>): ListenerAuth {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as unknown as ListenerAuth;
}

/**
 * The credentials after a create (no `current`) or a change: each of `auth`, `tls` and `headers`
 * that `input` names replaces the current one, `null` removes it, and one it does not name stays.
 * Why the input is refused, naming the field and never quoting a secret; else the credentials.
 * `now` (ms) refuses an expired certificate.
 */
export function readCredentials(input: Readonly<Record<string, unknown>>, current: ListenerCredentials | undefined, now: number): ListenerCredentials | string {
  const next: { -readonly [K in keyof ListenerCredentials]: ListenerCredentials[K] } = { ...current };
  for (const name of CREDENTIAL_ATTRIBUTES) if (input[name] === null) delete next[name];
  if (input.auth !== undefined && input.auth !== null) {
    const refused = authRefusal(input.auth);
    if (refused) return refused;
    next.auth = authOf(input.auth as Record<string, unknown>);
  }
  if (input.tls !== undefined && input.tls !== null) {
    const tls = tlsOf(input.tls, now);
    if (typeof tls === 'string') return tls;
    next.tls = tls;
  }
  if (input.headers !== undefined && input.headers !== null) {
    const refused = headersRefusal(input.headers, next.auth !== undefined);
    if (refused) return refused;
    next.headers = { ...(input.headers as Record<string, string>) };
  } else if (next.headers && next.auth) {
    // Headers kept from before must still agree with an auth set now.
    const refused = headersRefusal(next.headers, true);
    if (refused) return `auth: the hub's headers already set Authorization (${refused}); remove it from headers in the same request`;
  }
  return next;
}
