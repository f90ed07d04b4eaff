import type { OAuth2Auth } from '../credentials/listener-credentials';
import type { TokenAnswer } from './token-request';

/** A token is used until this long before it expires (a clock skew and an attempt's duration). */
export const TOKEN_EARLY_MS = 30_000;
/** How long a token whose answer gave no expires_in is used (a 401 from the listener ends it sooner). */
export const TOKEN_DEFAULT_LIFETIME_MS = 300_000;
/** Hubs whose token is kept at most; past it the least recently used goes. */
const MAX_HUBS = 10_000;

interface Entry {
  /** The credentials the token was fetched with: others (changed credentials) need another. */
  identity: string;
  token?: string;
  /** When the token stops being used, ms. */
  usableUntil: number;
  /** The fetch in flight: every attempt of the hub waits for the same one. */
  pending?: Promise<TokenAnswer>;
}

const identityOf = (auth: OAuth2Auth): string => JSON.stringify([auth.tokenUrl, auth.clientId, auth.clientSecret, auth.scope, auth.audience, auth.clientAuth]);

/**
 * OAuth2 access tokens per hub (the client-credentials grant): fetched once for all the attempts
 * that need one at the same time, kept until TOKEN_EARLY_MS before they expire, dropped when the
 * listener refuses one (invalidate) or the hub's credentials change or go (forget).
 */
export class OAuth2Tokens {
  private readonly byHub = new Map<string, Entry>();

  constructor(
    private readonly fetch: (auth: OAuth2Auth) => Promise<TokenAnswer>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for the hub's attempt (`hubId` undefined: a one-off, such as the validation handshake, kept nowhere). */
  async token(hubId: string | undefined, auth: OAuth2Auth): Promise<TokenAnswer> {
    if (hubId === undefined) return this.fetch(auth);
    const identity = identityOf(auth);
    let entry = this.byHub.get(hubId);
    if (entry?.identity !== identity) {
      entry = { identity, usableUntil: 0 };
      if (this.byHub.size >= MAX_HUBS) this.byHub.delete(this.byHub.keys().next().value as string);
    } else {
      this.byHub.delete(hubId);
    }
    this.byHub.set(hubId, entry);
    if (entry.token !== undefined && this.now() < entry.usableUntil) return { token: entry.token };
    entry.pending ??= this.fetchInto(entry, auth);
    return entry.pending;
  }

  /** The listener refused `token` (401): the next attempt fetches another, unless one already has. */
  invalidate(hubId: string, token: string): void {
    const entry = this.byHub.get(hubId);
    if (entry?.token === token) entry.token = undefined;
  }

  /** The hub's credentials changed or it is gone. */
  forget(hubId: string): void {
    this.byHub.delete(hubId);
  }

  private async fetchInto(entry: Entry, auth: OAuth2Auth): Promise<TokenAnswer> {
    const asked = this.now();
    try {
      const answer = await this.fetch(auth);
      if ('token' in answer) {
        entry.token = answer.token;
        entry.usableUntil = asked + (answer.lifetimeMs ?? TOKEN_DEFAULT_LIFETIME_MS) - TOKEN_EARLY_MS;
      }
      return answer;
    } finally {
      entry.pending = undefined;
    }
  }
}
