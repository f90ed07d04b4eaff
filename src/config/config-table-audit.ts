import type { Config } from './config-types';
import { duration, integer, type Parser } from './parsers';

const DAY = 24 * 60 * 60 * 1000;

type AuditKey = 'auditRetentionMs' | 'memoryMaxAuditRecords';

/**
 * The audit trail's rows of CONFIG_TABLE (config-table.ts spreads them in), kept apart so that the
 * table's subjects can grow without one file passing the size limit.
 */
export const AUDIT_CONFIG_TABLE: { [K in AuditKey]: { env: string; parser: Parser<Config[K]>; fallback: Config[K]; help: string } } = {
  auditRetentionMs: {
    env: 'HUB_AUDIT_RETENTION',
    parser: duration(0),
    fallback: 90 * DAY,
    help: 'Audit records older than this are deleted by a periodic sweep (both stores); 0 keeps them forever',
  },
  memoryMaxAuditRecords: {
    env: 'HUB_MEMORY_MAX_AUDIT_RECORDS',
    parser: integer(1, 100_000_000),
    fallback: 100_000,
    help: 'Audit records the embedded store keeps at most; past it the oldest are dropped, logged once',
  },
};
