/**
 * Who a request acts for. Every door (API key, OAuth2 token, client certificate, or none when the
 * hub runs open) resolves to one of these; the services decide with it and never look at the
 * credential again, so a principal holds no secret.
 */

/** The roles, a fixed contract: clients files, tokens and the docs name exactly these. */
export const ROLES = ['reader', 'publisher', 'subscriber', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** How the principal proved who it is: recorded in the audit trail, never the credential itself. */
export type AuthenticatedBy = 'key' | 'token' | 'certificate' | 'open';

export interface Quota {
  /** Publishes per second (a token bucket with a burst of one second); absent = no limit. */
  publishPerSecond?: number;
  /** The most hubs the principal may own at once; absent = no limit. */
  hubs?: number;
}

export interface Principal {
  /**
   * The client's name: a clients-file entry's `name`, `api-key-<n>` for HUB_API_KEYS, `oidc:<azp>`
   * for a token no entry claims, `anonymous` when open. A hub's `owner`, and the audit trail's.
   */
  readonly name: string;
  readonly roles: readonly Role[];
  /** Topic names it may act on, exact or "<prefix>.*" (see topic-scope); absent = every topic. */
  readonly topics?: readonly string[];
  readonly quota: Readonly<Quota>;
  readonly authenticatedBy: AuthenticatedBy;
}

/** The principal of every request when no credential source is configured (the mock use): may do everything. */
export const OPEN_PRINCIPAL: Principal = Object.freeze({ name: 'anonymous', roles: Object.freeze(['admin'] as Role[]), quota: Object.freeze({}), authenticatedBy: 'open' });
