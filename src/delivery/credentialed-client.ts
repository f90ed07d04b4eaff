import type { ListenerAuth, ListenerCredentials, OAuth2Auth } from '../credentials/listener-credentials';
import type { Logger } from '../logger';
import { CertificateWatch } from './certificate-watch';
import { ClientCertificateAgents } from './client-certificate-agents';
import { staticAuthorization, withCredentialHeaders } from './credential-headers';
import { OAuth2Tokens } from './oauth2-tokens';
import { tokenAnswer, tokenRequest } from './token-request';
import type { FetchAnswer, ProbeResult, WebhookClient, WebhookRequest, WebhookResult } from './webhook-client';

/** How long a token request may take: as long as an attempt. */
const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

/**
 * Requests to listeners that require credentials (issue 25): the listener's headers and
 * Authorization on each request (bearer, basic, or an OAuth2 token cached per hub and fetched again
 * once when the listener answers 401), through a connection pool per hub that presents its client
 * certificate. Everything goes through the webhook client, under its callback guard: the token
 * endpoint too. Hubs without credentials never come here (the HTTP transport asks the plain client).
 */
export class CredentialedClient {
  readonly certificates: CertificateWatch;
  private readonly agents: ClientCertificateAgents;
  private readonly tokens: OAuth2Tokens;
  private tokenTimeoutMs = DEFAULT_TOKEN_TIMEOUT_MS;

  constructor(
    private readonly client: Pick<WebhookClient, 'post' | 'options' | 'form' | 'get' | 'agentWith'>,
    deps: { logger: Pick<Logger, 'warn'>; now?: () => number; tokenTimeoutMs?: number },
  ) {
    this.agents = new ClientCertificateAgents((tls) => client.agentWith(tls));
    this.tokens = new OAuth2Tokens((auth) => this.fetchToken(auth), deps.now);
    this.certificates = new CertificateWatch(deps.logger, deps.now);
    if (deps.tokenTimeoutMs) this.tokenTimeoutMs = deps.tokenTimeoutMs;
  }

  /** One delivery attempt of the hub: never throws, a credential that cannot be had is the attempt's `error`. */
  async post(hubId: string, credentials: ListenerCredentials, req: WebhookRequest): Promise<WebhookResult> {
    const dispatcher = credentials.tls && this.agents.get(hubId, credentials.tls);
    if (credentials.tls) this.certificates.observe(hubId, credentials.tls);
    return this.authorized(
      hubId,
      credentials.auth,
      (authorization) => this.client.post({ ...req, headers: withCredentialHeaders(req.headers, credentials.headers, authorization), dispatcher }),
      (error, refused) => (refused ? { ...refused, error: `the listener answered 401, and ${error}` } : { error, durationMs: 0 }),
    );
  }

  /**
   * A GET of a topic's poll source (issue 28) with its `auth` (an OAuth2 token cached under `key`,
   * fetched again once on a 401), the answer read whole up to `maxBytes`. Never throws.
   */
  async get(key: string, auth: ListenerAuth | undefined, req: { url: string; headers: Record<string, string>; timeoutMs: number; maxBytes: number }): Promise<FetchAnswer> {
    return this.authorized(
      key,
      auth,
      (authorization) => this.client.get({ ...req, headers: withCredentialHeaders(req.headers, undefined, authorization) }),
      (error, refused) => ({ error: refused ? `the server answered 401, and ${error}` : error }),
    );
  }

  /**
   * `send` with the Authorization `auth` asks for: a static one, or an OAuth2 token of `key`'s, and
   * when the answer is a 401 (the token revoked, or the server's keys rotated) one new token, one
   * more try. A token that cannot be had is `failed`'s answer (with the 401 answer when there was one).
   */
  private async authorized<T>(key: string, auth: ListenerAuth | undefined, send: (authorization: string | undefined) => Promise<T>, failed: (error: string, refused?: T) => T): Promise<T> {
    if (auth?.type !== 'oauth2') return send(staticAuthorization(auth));
    const first = await this.tokens.token(key, auth);
    if ('error' in first) return failed(first.error);
    const result = await send(`Bearer ${first.token}`);
    if ((result as { status?: number }).status !== 401) return result;
    this.tokens.invalidate(key, first.token);
    const again = await this.tokens.token(key, auth);
    if ('error' in again) return failed(again.error, result);
    return send(`Bearer ${again.token}`);
  }

  /** The CloudEvents validation handshake of a hub being created, with the credentials it will deliver with. */
  async options(credentials: ListenerCredentials | undefined, req: { url: string; headers: Record<string, string>; timeoutMs: number }): Promise<ProbeResult> {
    if (!credentials) return this.client.options(req);
    const dispatcher = credentials.tls && this.agents.once(credentials.tls);
    try {
      let authorization = staticAuthorization(credentials.auth);
      if (credentials.auth?.type === 'oauth2') {
        const answer = await this.tokens.token(undefined, credentials.auth);
        if ('error' in answer) return { headers: {}, error: answer.error };
        authorization = `Bearer ${answer.token}`;
      }
      return await this.client.options({ ...req, headers: withCredentialHeaders(req.headers, credentials.headers, authorization), dispatcher });
    } finally {
      if (dispatcher) void dispatcher.close();
    }
  }

  /** A hub's credentials were set, changed or are gone: its token and pool go, its certificate is watched anew. */
  changed(hubId: string, credentials: ListenerCredentials | undefined): void {
    this.tokens.forget(hubId);
    if (!credentials?.tls) this.agents.forget(hubId);
    this.certificates.observe(hubId, credentials?.tls);
  }

  async close(): Promise<void> {
    await this.agents.close();
  }

  private async fetchToken(auth: OAuth2Auth): Promise<ReturnType<typeof tokenAnswer>> {
    const { headers, body } = tokenRequest(auth);
    return tokenAnswer(await this.client.form({ url: auth.tokenUrl, headers, body, timeoutMs: this.tokenTimeoutMs }));
  }
}
