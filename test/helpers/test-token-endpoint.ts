import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenGrant {
  /** How the client authenticated: its id and secret, from HTTP Basic or the body. */
  clientAuth: 'basic' | 'body' | 'none';
  clientId?: string;
  form: Record<string, string>;
}

/**
 * An OAuth2 token endpoint on loopback (the client-credentials grant): it issues opaque tokens for
 * one client id and secret, with the expires_in the test sets, counts every request, and says
 * whether a token is one it issued and has not revoked. A listener asks it (`valid`) to accept
 * only its tokens.
 */
export class TestTokenEndpoint {
  readonly grants: TokenGrant[] = [];
  /** expires_in of the tokens it issues (seconds); undefined leaves it out. */
  expiresIn: number | undefined = 3600;
  /** Replaces the answer (a failing endpoint). */
  failWith: { status: number; body: string } | undefined;
  private readonly issued = new Set<string>();

  private constructor(
    private readonly server: http.Server,
    readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  static async start(clientId: string, clientSecret: string): Promise<TestTokenEndpoint> {
    let endpoint!: TestTokenEndpoint;
    const server = http.createServer((req, res) => endpoint.answer(req, res));
    endpoint = new TestTokenEndpoint(server, clientId, clientSecret);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
  }

  valid(authorization: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    return token !== undefined && this.issued.has(token);
  }

  /** Every token issued and still accepted (for a search of where tokens leaked). */
  get tokens(): string[] {
    return [...this.issued];
  }

  /** Every token issued so far stops being accepted. */
  revokeAll(): void {
    this.issued.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [id, secret] = basic
        ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
        : [form.client_id, form.client_secret];
      this.grants.push({ clientAuth: basic ? 'basic' : form.client_id ? 'body' : 'none', ...(id !== undefined ? { clientId: id } : {}), form });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (this.failWith) return send(this.failWith.status, this.failWith.body);
      if (form.grant_type !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
      if (id !== this.clientId || secret !== this.clientSecret) return send(401, { error: 'invalid_client' });
      const token = randomBytes(24).toString('base64url');
      this.issued.add(token);
      send(200, { access_token: token, token_type: 'Bearer', ...(this.expiresIn !== undefined ? { expires_in: this.expiresIn } : {}) });
    });
  }
}
