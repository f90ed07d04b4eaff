import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import type { ListenerTls } from '../credentials/listener-credentials';
import type { AgentTls } from './webhook-client';

/** Hubs with a connection pool of their own at most; past it the least recently used is closed. */
export const MAX_CERTIFICATE_AGENTS = 256;

type ClosableDispatcher = Dispatcher & { close(): Promise<void> };

/** What undici's TLS connections take: the certificate and key, and a private CA beside the public ones. */
export const agentTls = (tls: ListenerTls): AgentTls => ({
  cert: tls.certificate,
  key: tls.privateKey,
  ...(tls.ca !== undefined ? { ca: [...rootCertificates, tls.ca] } : {}),
});

/**
 * A connection pool per hub whose listener requires a client certificate, keyed by the
 * certificate's fingerprint (and the CA's): changed credentials take a new pool, and the old one
 * is closed once its requests end. Bounded; closed with the hub, and at shutdown.
 */
export class ClientCertificateAgents {
  private readonly byHub = new Map<string, { key: string; agent: ClosableDispatcher }>();

  constructor(private readonly make: (tls: AgentTls) => ClosableDispatcher) {}

  /** The hub's pool for these credentials. */
  get(hubId: string, tls: ListenerTls): Dispatcher {
    const key = `${tls.fingerprint}|${tls.caFingerprint ?? ''}`;
    const held = this.byHub.get(hubId);
    this.byHub.delete(hubId);
    if (held?.key === key) {
      this.byHub.set(hubId, held);
      return held.agent;
    }
    if (held) void held.agent.close();
    if (this.byHub.size >= MAX_CERTIFICATE_AGENTS) this.forget(this.byHub.keys().next().value as string);
    const agent = this.make(agentTls(tls));
    this.byHub.set(hubId, { key, agent });
    return agent;
  }

  /** A pool for one request outside any hub (the validation handshake): the caller closes it. */
  once(tls: ListenerTls): ClosableDispatcher {
    return this.make(agentTls(tls));
  }

  /** Hubs holding a pool. */
  get size(): number {
    return this.byHub.size;
  }

  forget(hubId: string): void {
    const held = this.byHub.get(hubId);
    this.byHub.delete(hubId);
    if (held) void held.agent.close();
  }

  async close(): Promise<void> {
    const agents = [...this.byHub.values()].map((held) => held.agent.close());
    this.byHub.clear();
    await Promise.all(agents);
  }
}
