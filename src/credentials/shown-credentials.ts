import type { ListenerAuth, ListenerCredentials } from './listener-credentials';

/** What answers show of `auth`: its type and whatever is not a secret. */
export type ShownAuth =
  | { type: 'bearer' }
  | { type: 'basic'; username: string }
  | { type: 'oauth2'; tokenUrl: string; clientId: string; scope?: string; audience?: string; clientAuth?: 'basic' | 'body' };

export interface ShownTls {
  subject: string;
  fingerprint: string;
  expiresAt: string;
}

/** The hub attributes `auth`, `tls` and `headers` as every answer shows them. */
export interface ShownCredentials {
  auth?: ShownAuth;
  tls?: ShownTls;
  headers?: Readonly<Record<string, string>>;
}

function shownAuth(auth: ListenerAuth): ShownAuth {
  switch (auth.type) {
    case 'bearer':
      return { type: 'bearer' };
    case 'basic':
      return { type: 'basic', username: auth.username };
    case 'oauth2': {
      const { clientSecret: _secret, ...shown } = auth;
      return shown;
    }
  }
}

/**
 * What is safe to show of a hub's credentials: `auth` without its token, password or client
 * secret; `tls` as the certificate's subject, SHA-256 fingerprint and expiry, never a key; the
 * headers as sent. Each attribute is present exactly when the credentials have it (undefined
 * otherwise, so that storing this removes what was dropped).
 */
export function shownCredentials(credentials: ListenerCredentials | undefined): { auth: ShownAuth | undefined; tls: ShownTls | undefined; headers: ShownCredentials['headers'] } {
  const { auth, tls, headers } = credentials ?? {};
  return {
    auth: auth && shownAuth(auth),
    tls: tls && { subject: tls.subject, fingerprint: tls.fingerprint, expiresAt: new Date(tls.notAfter).toISOString() },
    headers: headers && { ...headers },
  };
}
