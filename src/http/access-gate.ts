import type { Authenticator } from '../access/authenticator';
import { denial, type Permission } from '../access/permissions';
import { OPEN_PRINCIPAL, type Principal } from '../access/principal';
import { ForbiddenError } from '../errors';
import type { Logger } from '../logger';
import { auditRefusal, UNAUTHENTICATED, type RefusalAudit, type RefusalRecord } from './audit-refusal';
import { authenticationError, bearerOf, peerOf } from './authentication';

/** Where a request is going, as the audit trail names it. */
export type Destination = Omit<RefusalRecord, 'principal' | 'status'>;

/** What a request presents, however it came (a Koa request, a WebSocket upgrade). */
export interface Credentials {
  /** The Authorization header. */
  authorization?: string | string[];
  /** A bearer credential presented another way (the WebSocket subprotocols), used when the header has none. */
  bearer?: string;
  /** Its connection: a TLS socket may carry a client certificate. */
  socket?: unknown;
}

/**
 * Authentication and permissions at every door (the API's front door, /metrics and the documents,
 * the WebSocket upgrade), with every refusal recorded in the audit trail.
 */
export class AccessGate {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly audit?: RefusalAudit,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** Every request is the open principal: nothing to check. */
  get open(): boolean {
    return this.authenticator.open;
  }

  /** The request's principal; throws (and records) the 401, or the 503 of an issuer that is away. */
  async principal(credentials: Credentials, where: Destination): Promise<Principal> {
    if (this.open) return OPEN_PRINCIPAL;
    const header = Array.isArray(credentials.authorization) ? credentials.authorization[0] : credentials.authorization;
    const result = await this.authenticator.authenticate({ bearer: bearerOf(header) ?? credentials.bearer, peer: peerOf(credentials.socket) });
    if (result.principal) return result.principal;
    const err = authenticationError(result.refusal);
    this.refused(err, UNAUTHENTICATED, where);
    throw err;
  }

  /** Throws (and records) the 403 naming the permission when the principal lacks it. */
  permit(principal: Principal, permission: Permission, where: Destination): void {
    const denied = denial(principal, permission);
    if (!denied) return;
    const err = new ForbiddenError(denied.message);
    this.refused(err, principal.name, where);
    throw err;
  }

  /** Records `err` when it is a refusal (401, 403, 429): what a handler threw for this principal. */
  refused(err: unknown, principal: string, where: Destination): void {
    auditRefusal(this.audit, err, { principal, ...where }, this.logger);
  }
}
