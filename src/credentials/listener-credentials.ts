/**
 * What a listener may require of the hub's deliveries (issue 25): an Authorization (`auth`), a
 * client certificate (`tls`) and static `headers`. The complete credentials live under the hub's
 * write-only `secret` attribute (src/hub/subscriber-secret.ts), so whatever hides the signing secret
 * from answers, projections and filters hides them too; the hub's `auth`, `tls` and `headers`
 * attributes hold only what is safe to show (shown-credentials.ts).
 */

/** The hub attributes a client sends credentials in, and which answers show safely. */
export const CREDENTIAL_ATTRIBUTES = ['auth', 'tls', 'headers'] as const;
export type CredentialAttribute = (typeof CREDENTIAL_ATTRIBUTES)[number];

export interface BearerAuth {
  type: 'bearer';
  token: string;
}

export interface BasicAuth {
  type: 'basic';
  username: string;
  password: string;
}

/** The OAuth2 client-credentials grant (RFC 6749 section 4.4). */
export interface OAuth2Auth {
  type: 'oauth2';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
  /** How the client authenticates at the token endpoint: HTTP Basic (the default) or in the body. */
  clientAuth?: 'basic' | 'body';
}

export type ListenerAuth = BearerAuth | BasicAuth | OAuth2Auth;

/** A client certificate with its key (PEM), the CA a listener's own certificate may be signed by, and what was read of it. */
export interface ListenerTls {
  certificate: string;
  privateKey: string;
  ca?: string;
  /** SHA-256 of the certificate (DER), as colon-separated hex: keys the TLS connection pools. */
  fingerprint: string;
  /** SHA-256 of the CA bundle; absent without one. A new CA needs new connections too. */
  caFingerprint?: string;
  subject: string;
  /** When the certificate expires, ms since epoch. */
  notAfter: number;
}

/** Everything an attempt applies; each part is optional. */
export interface ListenerCredentials {
  auth?: ListenerAuth;
  tls?: ListenerTls;
  /** Sent on every attempt, names as configured. */
  headers?: Readonly<Record<string, string>>;
}

/** Whether there is anything to apply. */
export const hasCredentials = (credentials: ListenerCredentials | undefined): credentials is ListenerCredentials =>
  credentials !== undefined && (credentials.auth !== undefined || credentials.tls !== undefined || credentials.headers !== undefined);
