import type { Logger } from '../logger';
import type { ListenerTls } from '../credentials/listener-credentials';

/** A client certificate this close to its end is warned of, once per hub and certificate. */
export const CERTIFICATE_WARNING_MS = 14 * 24 * 3600 * 1000;
/** Hubs watched at most; past it the least recently seen goes. */
const MAX_WATCHED = 10_000;

interface Watched {
  fingerprint: string;
  subject: string;
  notAfter: number;
  warned: boolean;
}

/**
 * The client certificates of the hubs this process delivers to, or whose credentials it accepted:
 * their expiry for the gauge tmf688_hub_client_certificate_expiry_seconds{hub}, and one warning
 * log per hub and certificate once it has CERTIFICATE_WARNING_MS left.
 */
export class CertificateWatch {
  private readonly byHub = new Map<string, Watched>();

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hub's certificate now (undefined: it has none). */
  observe(hubId: string, tls: Pick<ListenerTls, 'fingerprint' | 'subject' | 'notAfter'> | undefined): void {
    if (!tls) {
      this.byHub.delete(hubId);
      return;
    }
    let watched = this.byHub.get(hubId);
    if (watched?.fingerprint !== tls.fingerprint) {
      if (!watched && this.byHub.size >= MAX_WATCHED) this.byHub.delete(this.byHub.keys().next().value as string);
      watched = { fingerprint: tls.fingerprint, subject: tls.subject, notAfter: tls.notAfter, warned: false };
      this.byHub.set(hubId, watched);
    }
    this.warnIfNear(hubId, watched);
  }

  forget(hubId: string): void {
    this.byHub.delete(hubId);
  }

  /** Seconds each watched hub's certificate has left (negative once expired); warns of those that came near since. */
  secondsLeft(): Array<[hubId: string, seconds: number]> {
    const now = this.now();
    return [...this.byHub].map(([hubId, watched]) => {
      this.warnIfNear(hubId, watched);
      return [hubId, (watched.notAfter - now) / 1000];
    });
  }

  private warnIfNear(hubId: string, watched: Watched): void {
    if (watched.warned || watched.notAfter - this.now() > CERTIFICATE_WARNING_MS) return;
    watched.warned = true;
    this.logger.warn('a hub\'s client certificate expires within 14 days: replace it (POST .../credentials)', {
      hubId,
      subject: watched.subject,
      fingerprint: watched.fingerprint,
      expiresAt: new Date(watched.notAfter).toISOString(),
    });
  }
}
