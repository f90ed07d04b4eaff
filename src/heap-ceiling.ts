import type { Config } from './config';
import { nodeArgs } from './node-options';

const MB = 2 ** 20;

/**
 * What one process holds on its heap, in bytes, measured on the embedded store (2026-12-06, Node 20,
 * heap used after full collections, events of 310 bytes of JSON to 10 hubs; docs/operations.md,
 * "Sizing HUB_MAX_PENDING and the heap"): the hub's own code, contract and working set (34 MB after
 * start, with room for requests in flight); a stored event with its indexes; a delivery waiting to be
 * sent; a finished (delivered or dead) delivery with its attempt record; an audit record. Larger
 * events cost more: the heap guard (HEAP_REFUSE_SHARE) answers 503, in most cases before they
 * outgrow the limit.
 */
export const HEAP_COST = {
  baseBytes: 64 * MB,
  eventBytes: 1600,
  pendingBytes: 1050,
  finishedBytes: 950,
  auditBytes: 700,
};

/**
 * How much larger than the live data the limit is: V8 needs room beyond the live objects to collect
 * them without collecting all the time, and the caps are an estimate for events of that size.
 */
export const HEAP_HEADROOM = 1.5;

/** The limit of a hub process on MongoDB, whose data lives in the database: the code, caches and batches in flight. */
export const MONGODB_HEAP_MB = 512;

export type HeapCeilingConfig = Pick<Config, 'heapLimit' | 'mongodbUrl' | 'memoryMaxEvents' | 'memoryMaxDeliveries' | 'memoryMaxAuditRecords' | 'maxPending'>;

/**
 * HUB_HEAP_LIMIT as a V8 old-space size in MB, or undefined to leave Node's own limit. `auto` derives
 * it from what the caps let the embedded store hold (HUB_MEMORY_MAX_EVENTS, HUB_MEMORY_MAX_DELIVERIES,
 * HUB_MEMORY_MAX_AUDIT_RECORDS, HUB_MAX_PENDING), with headroom; without a pending cap (HUB_MAX_PENDING=0)
 * nothing bounds the store, so Node's limit stays.
 */
export function heapCeilingMb(config: HeapCeilingConfig): number | undefined {
  if (config.heapLimit === 'off') return undefined;
  if (typeof config.heapLimit === 'number') return Math.floor(config.heapLimit / MB);
  if (config.mongodbUrl) return MONGODB_HEAP_MB;
  if (config.maxPending === 0) return undefined;
  const c = HEAP_COST;
  const live =
    c.baseBytes +
    config.memoryMaxEvents * c.eventBytes +
    config.memoryMaxDeliveries * c.finishedBytes +
    config.memoryMaxAuditRecords * c.auditBytes +
    config.maxPending * c.pendingBytes;
  return Math.ceil((live * HEAP_HEADROOM) / MB);
}

/** Whether Node was already given a heap size (on its command line or in NODE_OPTIONS): that one wins over HUB_HEAP_LIMIT. */
export function heapSizeGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return nodeArgs(execArgv, nodeOptions).some((arg) => /^--max[-_]old[-_]space[-_]size(=|$)|^--max[-_]heap[-_]size(=|$)/.test(arg));
}

/** V8's young generation beside the old one (3 x its 16 MB semi-space on 64-bit): heap_size_limit is both. */
export const YOUNG_GENERATION_BYTES = 48 * MB;

/**
 * The old generation's limit in bytes, which is what fills up: the --max-old-space-size Node was
 * given (NODE_OPTIONS first, the command line after it, the last one winning, as Node reads them),
 * else V8's heap limit less its young generation.
 */
export function oldGenerationLimit(heapSizeLimit: number, execArgv: readonly string[], nodeOptions: string | undefined): number {
  const sizes = nodeArgs(execArgv, nodeOptions).map((arg) => /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(arg)?.[1]).filter((mb) => mb !== undefined);
  const given = sizes.at(-1);
  return given !== undefined ? Number(given) * MB : Math.max(heapSizeLimit - YOUNG_GENERATION_BYTES, heapSizeLimit / 2);
}
