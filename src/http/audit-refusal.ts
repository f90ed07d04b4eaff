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

/** The audit trail (AuditService), as the doors use it. */
export interface RefusalAudit {
  record(entry: RefusalRecord): unknown;
}

/** The refusals the audit trail keeps: missing or bad credentials, missing permissions (and quotas), rates. */
export const AUDITED_STATUSES: readonly number[] = [401, 403, 429];

/** The name a refusal without a principal is recorded under. */
export const UNAUTHENTICATED = 'unauthenticated';

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
