import type { AuditEntry } from '../hub/audit-record';
import type { HttpResult } from './api-request';
import type { ApiCall } from './api-front-door';
import { AUDITED_OPERATIONS } from './audited-operations';

/**
 * The audit entry of an operation that answered `result`: undefined when the operation is not
 * audited (audited-operations.ts) or did not succeed. The resource is the created resource's href
 * (its Location), else the request path (`path`, without the query string).
 */
export function successAuditEntry(call: ApiCall, path: string, result: HttpResult): AuditEntry | undefined {
  if (!Object.hasOwn(AUDITED_OPERATIONS, call.operationId) || result.status >= 400) return undefined;
  // The principal the front door resolved (the open hub's, anonymous, when access control is off).
  return { principal: call.request.principal.name, operation: call.operationId, resource: result.headers?.Location ?? path, status: result.status };
}
