import { createHash } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { ClientEntry } from './clients-file';
import type { TokenFailure } from './bearer-challenge';
import { fetchJson, DEFAULT_FETCH_LIMITS, type FetchLimits } from './oidc-fetch';
import { KeysUnavailable, OidcKeySet, type KeySetTimings } from './oidc-key-set';
import type { Principal } from './principal';
import { tokenPrincipal, type TokenClaims } from './token-claims';

/*
 * jose 6 (the maintained major) ships ES modules only, and this build is CommonJS. Node >= 20.19
 * (package.json's engines) require()s an ES module without a flag or a warning, so the compiled
 * hub loads it as is; jest's module system cannot, so package.json's jest config transforms
 * node_modules/jose to CommonJS with ts-jest (transformIgnorePatterns lets it through). jose 5
 * still ships CommonJS but only gets fixes, so pinning it would only postpone this.
 */

export interface OidcSettings {
  /** HUB_OIDC_ISSUER: exactly the `iss` of the tokens (and of the discovery document). */
  issuer: string;
  /** HUB_OIDC_AUDIENCE: must be in the token's `aud` (a string or an array). */
  audience: string;
  /** HUB_OIDC_CLIENT_ID: whose resource_access roles count; default the audience. */
  clientId?: string;
}

export interface OidcVerifierOptions extends OidcSettings {
  /** The clients-file entry of a token's azp (ClientDirectory.byOidcClientId). */
  entryOf?: (azp: string) => ClientEntry | undefined;
  /** ms since the epoch; token times and the key cache both read it. */
  clock?: () => number;
  /** Discovery and JWKS failures, one line each, for the hub's log (no token in them). */
  onProblem?: (message: string) => void;
  fetchLimits?: FetchLimits;
  timings?: KeySetTimings;
}

export type TokenResult = { principal: Principal; failure?: undefined } | { failure: TokenFailure; principal?: undefined };

/** Asymmetric signatures only: `none` and HMAC (whose secret a hub would have to share) are refused before any key is looked up. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
/** Clock skew tolerated on exp and nbf. */
export const LEEWAY_SECONDS = 60;
/**
 * A verified token's principal is remembered this long at most (and never past the token's exp and
 * leeway): a client sends the same token for minutes, and a signature check costs ~100 us where a
 * lookup costs ~2. Short, so a key the issuer withdraws or a changed clients file applies soon.
 */
export const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 10_000;
/** Longer is no access token; refused before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

type Refused = { failure: TokenFailure; principal?: undefined };
const invalid = (description: string): Refused => ({ failure: { kind: 'invalid', description } });

/** Claims whose check failed (present, well-typed, but not acceptable). */
const CLAIM_FAILURES: Record<string, string> = {
  nbf: 'The token is not valid yet',
  iss: 'The token is from another issuer',
  aud: 'The token is for another audience',
};

/** jose names the claim (one of the registered ones, never text from the token) and why: missing, invalid (a wrong type) or check_failed. */
function claimFailure(e: InstanceType<typeof errors.JWTClaimValidationFailed>): string {
  const claim = /^[a-z_]{1,20}$/.test(e.claim) ? e.claim : 'a';
  if (e.reason === 'missing') return `The token lacks the ${claim} claim`;
  return (e.reason === 'check_failed' && CLAIM_FAILURES[claim]) || `The token's ${claim} claim is not valid`;
}

/** A verification error as a failure a client may see: fixed sentences, nothing from the token. */
function failureOf(e: unknown, onProblem: (message: string) => void): Refused {
  if (e instanceof KeysUnavailable) return { failure: { kind: 'unavailable', description: "The token issuer's keys could not be fetched; try again shortly" } };
  if (e instanceof errors.JWTExpired) return invalid('The token has expired');
  if (e instanceof errors.JWTClaimValidationFailed) return invalid(claimFailure(e));
  if (e instanceof errors.JWSSignatureVerificationFailed) return invalid("The token's signature is not valid");
  if (e instanceof errors.JWKSNoMatchingKey) return invalid('The token is signed with a key the issuer does not publish');
  if (e instanceof errors.JOSEAlgNotAllowed) return invalid('The token is not signed with an accepted algorithm (RS, PS or ES)');
  if (e instanceof errors.JOSEError) return invalid('The token is not a valid JWT');
  onProblem(`token verification failed unexpectedly: ${(e as Error)?.name ?? typeof e}`);
  return invalid('The token is not valid');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Verifies OAuth2 access tokens (JWT) from HUB_OIDC_ISSUER and turns them into principals. The
 * issuer's discovery document and keys are fetched on first use (or by warm()), with a timeout;
 * keys are cached (see OidcKeySet).
 */
export class OidcVerifier {
  private readonly keys: OidcKeySet;
  private readonly clientId: string;
  private readonly clock: () => number;
  private readonly onProblem: (message: string) => void;
  private readonly limits: FetchLimits;
  private jwksUri: string | undefined;
  /** Verified tokens by their SHA-256 (the token itself is not kept), oldest first. */
  private readonly remembered = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly options: OidcVerifierOptions) {
    this.clientId = options.clientId ?? options.audience;
    this.clock = options.clock ?? Date.now;
    this.onProblem = options.onProblem ?? (() => undefined);
    this.limits = options.fetchLimits ?? DEFAULT_FETCH_LIMITS;
    this.keys = new OidcKeySet(() => this.loadKeys(), this.clock, this.onProblem, options.timings);
  }

  /** Fetches discovery and keys now: undefined when they are there, else the failure (already reported to onProblem). */
  async warm(): Promise<TokenFailure | undefined> {
    try {
      await this.keys.warm();
      return undefined;
    } catch (e) {
      return failureOf(e, this.onProblem).failure;
    }
  }

  /** A bearer token's principal, or why it is refused. Never throws; never puts the token anywhere. */
  async verify(token: string): Promise<TokenResult> {
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) return invalid('The token is not a JWT');
    const digest = createHash('sha256').update(token).digest('base64');
    const known = this.remembered.get(digest);
    if (known && this.clock() < known.until) return { principal: known.principal };
    if (known) this.remembered.delete(digest);
    const result = await this.check(token);
    if (!result.principal) return result;
    this.remember(digest, result.principal, result.expires);
    return { principal: result.principal };
  }

  private remember(digest: string, principal: Principal, expires: number): void {
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
    this.remembered.set(digest, { principal, until: Math.min((expires + LEEWAY_SECONDS) * 1000, this.clock() + REMEMBER_MS) });
  }

  private async check(token: string): Promise<Refused | { principal: Principal; expires: number }> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return invalid('The token is not a JWT');
    }
    if (typeof alg !== 'string' || !ACCEPTED_ALGORITHMS.includes(alg)) return invalid('The token is not signed with an accepted algorithm (RS, PS or ES)');
    try {
      const { payload } = await jwtVerify(token, this.keys.resolve, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: LEEWAY_SECONDS,
        currentDate: new Date(this.clock()),
        requiredClaims: ['exp'],
      });
      const principal = tokenPrincipal(payload as TokenClaims, this.clientId, this.options.entryOf ?? (() => undefined));
      // exp is required, so jose checked it is a number.
      return typeof principal === 'string' ? invalid(principal) : { principal, expires: payload.exp as number };
    } catch (e) {
      return failureOf(e, this.onProblem);
    }
  }

  private async loadKeys(): Promise<unknown> {
    this.jwksUri ??= await this.discover();
    return fetchJson(this.jwksUri, this.limits);
  }

  /** The jwks_uri from <issuer>/.well-known/openid-configuration, whose issuer must be ours exactly (OIDC Discovery 4.3). */
  private async discover(): Promise<string> {
    const { issuer } = this.options;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const document = await fetchJson(url, this.limits);
    if (!isObject(document)) throw new Error(`${url} is not a discovery document`);
    if (document.issuer !== issuer) {
      throw new Error(`${url} names the issuer ${JSON.stringify(document.issuer)}, not ${JSON.stringify(issuer)} (HUB_OIDC_ISSUER must be the issuer exactly)`);
    }
    const jwksUri = document.jwks_uri;
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) throw new Error(`${url} has no jwks_uri`);
    return jwksUri;
  }
}
