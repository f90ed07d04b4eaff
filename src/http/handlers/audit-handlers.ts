import { links, withHref } from '../../hub/links';
import type { OperationHandler } from '../api-request';
import { fieldsFrom, listQueryFrom, listResult } from '../tmf630';

/** tmf688-hub extension: the audit trail, newest first (who may read it is the access table's to say: admins). */
export const auditHandlers: Record<string, OperationHandler> = {
  async listAuditRecord(req, { services, limits }) {
    const page = await services.audit.list(listQueryFrom(req, limits));
    return listResult(page, (r) => links.auditRecord(req.baseUrl, r.id));
  },
  async retrieveAuditRecord(req, { services }) {
    const record = await services.audit.get(req.params.id, fieldsFrom(req));
    return { status: 200, body: withHref(record, links.auditRecord(req.baseUrl, record.id)) };
  },
};
