import type { TokenFailure } from './bearer-challenge';
import type { ClientDirectory, VerifiedPeer } from './client-directory';
import type { TokenResult } from './oidc-verifier';
import { OPEN_PRINCIPAL, type Principal } from './principal';

/** What a request presents: the bearer credential (header or WebSocket subprotocol) and its TLS connection. */
export interface Presented {
  bearer?: string;
  /** The TLS socket, when the request came over TLS (a plain socket is no peer). */
  peer?: VerifiedPeer;
}

/**
 * Why a request has no principal. missing: nothing acceptable was presented (no token, so the 401
 * challenge carries no error); invalid and unavailable: as TokenFailure (bearer-challenge.ts).
 */
export type AuthenticationRefusal = TokenFailure | { kind: 'missing'; description: string };

export type Authentication = { principal: Principal; refusal?: undefined } | { principal?: undefined; refusal: AuthenticationRefusal };

/** The credential sources configured. */
export interface CredentialSources {
  /**
   * None of HUB_CLIENTS_FILE, HUB_API_KEYS, HUB_OIDC_ISSUER and HUB_TLS_CLIENT_CA is set: every
   * request is OPEN_PRINCIPAL. (A clients file without clients is not open: it lets no one in.)
   */
  open: boolean;
  /** HUB_CLIENTS_FILE and HUB_API_KEYS. */
  directory: ClientDirectory;
  /** HUB_OIDC_ISSUER's token verifier. */
  verifier?: { verify(token: string): Promise<TokenResult> };
  /** HUB_TLS_CLIENT_CA is set: verified client certificates are looked up. */
  certificates: boolean;
}

/** Three dot-separated base64url parts: only such a bearer goes to the token verifier. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Who a request is, the same for every door (the REST API, SSE, the WebSocket upgrade, /metrics).
 *
 * A bearer credential decides alone when one is presented: an API key (one hash, one Map read),
 * else, with HUB_OIDC_ISSUER set and the shape of a JWT, a token (the verifier remembers verified
 * ones); anything else is refused, even over a connection with a good client certificate, since a
 * client that sends a credential means it, and acting as someone else would hide its mistake.
 * Without a bearer, a verified client certificate a client names is that client. With no credential
 * source configured at all, everyone is OPEN_PRINCIPAL (the mock use). No store is read.
 */
export class Authenticator {
  /** The principal of each TLS connection's certificate (null: none), so a keep-alive connection is looked up once. */
  private readonly peers = new WeakMap<VerifiedPeer, Principal | null>();

  constructor(private readonly sources: CredentialSources) {}

  get open(): boolean {
    return this.sources.open;
  }

  async authenticate({ bearer, peer }: Presented): Promise<Authentication> {
    if (this.open) return { principal: OPEN_PRINCIPAL };
    if (bearer !== undefined) return this.byBearer(bearer);
    const principal = peer && this.sources.certificates ? this.byPeer(peer) : undefined;
    if (principal) return { principal };
    return { refusal: { kind: 'missing', description: this.missing(peer) } };
  }

  private async byBearer(bearer: string): Promise<Authentication> {
    const client = this.sources.directory.byKey(bearer);
    if (client) return { principal: client };
    const { verifier } = this.sources;
    if (verifier && JWT_SHAPE.test(bearer)) {
      const result = await verifier.verify(bearer);
      return result.principal ? { principal: result.principal } : { refusal: result.failure };
    }
    return { refusal: { kind: 'invalid', description: verifier ? 'The bearer credential is neither a valid API key nor a token' : 'The API key is not valid' } };
  }

  private byPeer(peer: VerifiedPeer): Principal | undefined {
    let known = this.peers.get(peer);
    if (known === undefined) {
      known = this.sources.directory.byVerifiedPeer(peer) ?? null;
      this.peers.set(peer, known);
    }
    return known ?? undefined;
  }

  /** What the 401 says when nothing acceptable came: what would have been. */
  private missing(peer: VerifiedPeer | undefined): string {
    if (peer?.authorized && this.sources.certificates) return 'The client certificate names no client of this hub, and no bearer credential was sent';
    const ways = ['an API key', ...(this.sources.verifier ? ['a token'] : [])].join(' or ');
    return `A credential is required: Authorization: Bearer <${ways}>${this.sources.certificates ? ', or a client certificate' : ''}`;
  }
}
