import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose';

/** The issuer's keys could not be fetched (and none are cached that fit). */
export class KeysUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailable';
  }
}

export interface KeySetTimings {
  /** After a successful fetch, an unknown kid fetches the keys again at most this often. */
  refetchCooldownMs: number;
  /** After a failed fetch, none is tried again for this long (requests meanwhile are refused at once). */
  retryAfterFailureMs: number;
  /** Keys older than this are fetched again on the next request; if that fails, the old ones stay in use. */
  maxAgeMs: number;
}

export const DEFAULT_KEY_SET_TIMINGS: KeySetTimings = { refetchCooldownMs: 30_000, retryAfterFailureMs: 5_000, maxAgeMs: 600_000 };

type Resolver = ReturnType<typeof createLocalJWKSet>;

/**
 * The issuer's JSON Web Key Set, cached, as a key resolver for jwtVerify.
 *
 * Why not jose's createRemoteJWKSet: its cooldown (30 s by default) counts only from a successful
 * fetch, so while the issuer is down every request with an unknown kid fetches again; once its
 * cache is older than cacheMaxAge it fetches before verifying and a failure then refuses every
 * token, even with good keys in hand; and it reads Date.now(), so a test cannot step its clock.
 * This one keeps jose's key selection (createLocalJWKSet: alg to kty, kid, use, key_ops) and adds
 * a failure back-off, old keys refreshed in the background (and kept when that fails), and an
 * injected clock.
 */
export class OidcKeySet {
  private local: Resolver | undefined;
  private fetchedAt = -Infinity;
  private attemptedAt = -Infinity;
  private lastProblem = '';
  private pending: Promise<void> | undefined;

  constructor(
    /** Fetches the key set (discovery first when needed); throws an Error with a loggable message. */
    private readonly load: () => Promise<unknown>,
    private readonly clock: () => number,
    private readonly onProblem: (message: string) => void,
    private readonly timings: KeySetTimings = DEFAULT_KEY_SET_TIMINGS,
  ) {}

  /** The key for a token's header: for jwtVerify. Throws KeysUnavailable, or jose's errors (no matching key, ...). */
  readonly resolve = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    await this.current();
    try {
      return await this.local!(header, token);
    } catch (e) {
      if (!(e instanceof errors.JWKSNoMatchingKey)) throw e;
      // An unknown kid: the issuer may have rotated its keys. Look again after the fetch under way
      // or a new one, but fetch at most once per cooldown (a stream of made-up kids costs nothing).
      if (this.pending) await this.pending.catch(() => undefined);
      else if (this.mayRefetch()) await this.refresh();
      else throw e;
      return this.local!(header, token);
    }
  };

  /** Fetches the keys now unless some are at hand: at start, to report a bad issuer early. */
  async warm(): Promise<void> {
    await this.current();
  }

  /**
   * Keys to use: fetched (and waited for) when there are none; when old, refreshed in the
   * background while the old ones keep serving (and stay if the refresh fails), so no request
   * waits on the issuer every ten minutes.
   */
  private async current(): Promise<void> {
    if (!this.local && this.pending) await this.pending.catch(() => undefined);
    const now = this.clock();
    if (!this.local) {
      if (now - this.attemptedAt < this.timings.retryAfterFailureMs) throw new KeysUnavailable(this.lastProblem);
      return this.refresh();
    }
    if (now - this.fetchedAt >= this.timings.maxAgeMs && now - this.attemptedAt >= this.timings.retryAfterFailureMs) {
      this.refresh().catch(() => undefined);
    }
  }

  private mayRefetch(): boolean {
    const now = this.clock();
    return now - this.fetchedAt >= this.timings.refetchCooldownMs && now - this.attemptedAt >= this.timings.retryAfterFailureMs;
  }

  /** One fetch at a time: requests arriving meanwhile wait for it instead of fetching too. */
  private refresh(): Promise<void> {
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<void> {
    this.attemptedAt = this.clock();
    try {
      const jwks = await this.load();
      this.local = createLocalJWKSet(jwks as JSONWebKeySet);
      this.fetchedAt = this.clock();
    } catch (e) {
      const message = e instanceof errors.JWKSInvalid ? 'the JWKS is not a JSON Web Key Set' : (e as Error).message;
      this.lastProblem = `The issuer's keys could not be fetched: ${message}`;
      this.onProblem(this.lastProblem);
      throw new KeysUnavailable(this.lastProblem);
    }
  }
}
