import { sha256Hex, duplicateProblem, ClientsFileError, type ClientEntry } from './clients-file';
import { peerSubjectKey, type PeerSubject } from './certificate-subject';
import type { AuthenticatedBy, Principal } from './principal';

/** What byVerifiedPeer reads of a node:tls TLSSocket (structurally: no TLS import here). */
export interface VerifiedPeer {
  readonly authorized: boolean;
  getPeerCertificate(): { subject?: PeerSubject };
}

/** An entry as the principal it is when it authenticated by `by`. */
export const principalOf = (entry: ClientEntry, by: AuthenticatedBy): Principal =>
  Object.freeze({ name: entry.name, roles: entry.roles, ...(entry.topics && { topics: entry.topics }), quota: entry.quota, authenticatedBy: by });

/**
 * The configured clients (HUB_CLIENTS_FILE and HUB_API_KEYS together), looked up by credential in
 * O(1): each lookup is one hash and one Map read, whatever the number of clients.
 *
 * API keys are found by the hex SHA-256 of the presented key. The Map's string comparison is not
 * constant-time, but what its timing could reveal is how much of the presented key's digest
 * matches a stored digest; choosing inputs to learn a stored digest bit by bit needs SHA-256
 * preimages, and even a whole digest is not the key. So it is as safe as timingSafeEqual over
 * every digest (what HUB_API_KEYS did), without the cost growing with the number of keys.
 */
export class ClientDirectory {
  private readonly keys = new Map<string, Principal>();
  private readonly subjects = new Map<string, Principal>();
  private readonly oidcClients = new Map<string, ClientEntry>();

  /** Throws ClientsFileError when two entries share a name, a key, a subject or a client id. */
  constructor(readonly entries: readonly ClientEntry[]) {
    const duplicate = duplicateProblem(entries);
    if (duplicate) throw new ClientsFileError('HUB_CLIENTS_FILE with HUB_API_KEYS', duplicate);
    for (const entry of entries) {
      if (entry.keySha256) this.keys.set(entry.keySha256, principalOf(entry, 'key'));
      if (entry.certificateSubject) this.subjects.set(entry.certificateSubject.key, principalOf(entry, 'certificate'));
      if (entry.oidcClientId) this.oidcClients.set(entry.oidcClientId, entry);
    }
  }

  /** The principal whose API key this is, or undefined. */
  byKey(presented: string): Principal | undefined {
    return this.keys.get(sha256Hex(presented));
  }

  /** The principal of a verified client certificate's subject, or undefined when no entry names it. */
  byCertificate(subject: PeerSubject): Principal | undefined {
    const key = peerSubjectKey(subject);
    return key === undefined ? undefined : this.subjects.get(key);
  }

  /**
   * The principal of a TLS connection's client certificate: only one that the TLS layer verified
   * against HUB_TLS_CLIENT_CA (`authorized`), since with HUB_TLS_CLIENT_CERT=optional the server
   * accepts unverified ones too, and their subject says nothing. Undefined without one.
   */
  byVerifiedPeer(socket: VerifiedPeer): Principal | undefined {
    if (!socket.authorized) return undefined;
    const subject = socket.getPeerCertificate().subject;
    return subject ? this.byCertificate(subject) : undefined;
  }

  /** The entry a token's `azp` belongs to, or undefined. */
  byOidcClientId(azp: string): ClientEntry | undefined {
    return this.oidcClients.get(azp);
  }
}
