import { TmfError } from '../errors';
import type { Logger } from '../logger';

/** One refusal as the audit trail records it: who (a principal's name, or `unauthenticated`), what, where, and the status. Never a credential or a body. */
export interface RefusalRecord {
  principal: string;
  /** The operationId when the route is known, else `METHOD path`. */
  operation: string;
  /** The request path. */
  resource: string;
  status: number;
}

/** The audit trail's port (issue 24): `services.audit`. */
export interface RefusalAudit {
  record(entry: RefusalRecord): unknown;
}

/** The refusals the audit trail keeps: missing or bad credentials, missing permissions (and quotas), rates. */
export const AUDITED_STATUSES: readonly number[] = [401, 403, 429];

/** The name a refusal without a principal is recorded under. */
export const UNAUTHENTICATED = 'unauthenticated';

/**
 * The audit trail of the services, when they have one: `services.audit` (the audit service, built
 * beside the other services). Read structurally so that the HTTP layer records refusals through it
 * as soon as it exists, and records nothing without it.
 */
export const refusalAuditOf = (services: object): RefusalAudit | undefined => (services as { audit?: RefusalAudit }).audit;

/**
 * Records `err` when it is a refusal the audit trail keeps (a TMF Error of status 401, 403 or 429),
 * with where it happened. A recording that fails is logged, and never changes the answer.
 */
export function auditRefusal(audit: RefusalAudit | undefined, err: unknown, where: Omit<RefusalRecord, 'status'>, log?: Pick<Logger, 'warn'>): void {
  if (!audit || !(err instanceof TmfError) || !AUDITED_STATUSES.includes(err.status)) return;
  const failed = (problem: unknown) => log?.warn('could not record a refusal in the audit trail', { err: problem, status: err.status, operation: where.operation });
  try {
    Promise.resolve(audit.record({ principal: where.principal, operation: where.operation, resource: where.resource, status: err.status })).catch(failed);
  } catch (problem) {
    failed(problem);
  }
}
