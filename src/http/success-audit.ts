import { OPEN_PRINCIPAL } from '../access/principal';
import type { AuditEntry } from '../hub/audit-record';
import type { ApiRequest, HttpResult } from './api-request';
import type { ApiCall } from './api-front-door';
import { AUDITED_OPERATIONS } from './audited-operations';

/** The name of the principal the front door resolved for the request; the open hub's (anonymous) when it set none. */
export function principalName(request: ApiRequest): string {
  // Read without assuming the field's presence: authentication sets `principal` at the front door.
  const name = (request as { principal?: { name?: unknown } }).principal?.name;
  return typeof name === 'string' && name !== '' ? name : OPEN_PRINCIPAL.name;
}

/**
 * The audit entry of an operation that answered `result`: undefined when the operation is not
 * audited (audited-operations.ts) or did not succeed. The resource is the created resource's href
 * (its Location), else the request path (`path`, without the query string).
 */
export function successAuditEntry(call: ApiCall, path: string, result: HttpResult): AuditEntry | undefined {
  if (!Object.hasOwn(AUDITED_OPERATIONS, call.operationId) || result.status >= 400) return undefined;
  return { principal: principalName(call.request), operation: call.operationId, resource: result.headers?.Location ?? path, status: result.status };
}
