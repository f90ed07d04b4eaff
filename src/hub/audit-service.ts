import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { TOP_LEVEL, type ListQuery, type Page, type Resource, type Stores } from '../store/store-types';
import { auditRecord, type AuditEntry } from './audit-record';

/**
 * The audit trail: who changed what, and who was refused. The HTTP layer records each successful
 * state change and each refusal (401, 403, 429) through record(); admins list them newest first.
 * A record holds the four facts of an AuditEntry and nothing of the request: no body, header,
 * query string, secret, token or key.
 */
export class AuditService {
  constructor(
    private readonly stores: Pick<Stores, 'audit'>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Stores a record of the entry. Never throws: the change it describes is already made (or the
   * refusal already decided), so a store failure must not turn the answer into an error; the record
   * is logged instead, so an operator can still find it.
   */
  async record(entry: AuditEntry): Promise<void> {
    let record: Resource | undefined;
    try {
      const at = this.now();
      record = auditRecord(entry, randomUUID(), at);
      await this.stores.audit.insert(TOP_LEVEL, record, at.getTime());
    } catch (err) {
      // Only the cleaned record is logged, never the raw entry (its resource may still hold a query string).
      this.logger.warn('an audit record could not be stored: it is in this line instead', { audit: record ?? { status: entry.status }, err });
    }
  }

  list(query: ListQuery): Promise<Page> {
    return this.stores.audit.list(TOP_LEVEL, query);
  }

  async get(id: string, fields?: readonly string[]): Promise<Resource> {
    const record = await this.stores.audit.get(TOP_LEVEL, id, fields);
    if (!record) throw new NotFoundError(`Audit record ${id} does not exist`);
    return record;
  }
}
