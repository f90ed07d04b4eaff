import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

/** A key pair for signing test tokens, with its public JWK as an issuer publishes it. */
export async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** How the issuer answers a path: a JSON body, or an override (status, raw body, no answer at all). */
type Answer = { status?: number; body?: string; hang?: boolean };

/**
 * An OpenID provider on loopback for the token tests: a discovery document and a JWKS whose keys
 * the test sets, each request counted, and each answer replaceable by a failure.
 */
export class TestIssuer {
  readonly requests = { discovery: 0, jwks: 0 };
  /** The keys the JWKS publishes. */
  published: SigningKey[] = [];
  /** Replaces the discovery answer (e.g. another issuer, a 404, a hang). */
  discoveryAnswer: Answer | undefined;
  /** Replaces the JWKS answer. */
  jwksAnswer: Answer | undefined;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly origin: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    let issuer!: TestIssuer;
    const server = createServer((req, res) => issuer.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return issuer;
  }

  /** Back to a well-behaved issuer publishing `keys`, with the request counts at zero. */
  reset(keys: SigningKey[]): void {
    this.published = keys;
    this.discoveryAnswer = undefined;
    this.jwksAnswer = undefined;
    this.requests.discovery = 0;
    this.requests.jwks = 0;
  }

  get issuer(): string {
    return `${this.origin}/realms/test`;
  }

  /** A token signed with `key` (its kid and alg in the header unless `header` says otherwise). */
  sign(key: SigningKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === '/realms/test/.well-known/openid-configuration') {
      this.requests.discovery++;
      return this.send(res, this.discoveryAnswer, { issuer: this.issuer, jwks_uri: `${this.issuer}/protocol/openid-connect/certs` });
    }
    if (req.url === '/realms/test/protocol/openid-connect/certs') {
      this.requests.jwks++;
      return this.send(res, this.jwksAnswer, { keys: this.published.map((key) => key.jwk) });
    }
    res.writeHead(404).end();
  }

  private send(res: ServerResponse, override: Answer | undefined, document: unknown): void {
    if (override?.hang) {
      this.hanging.add(res);
      return;
    }
    res.writeHead(override?.status ?? 200, { 'content-type': 'application/json' }).end(override?.body ?? JSON.stringify(document));
  }
}
