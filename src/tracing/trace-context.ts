import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header is
 * `{version}-{trace-id}-{parent-id}-{trace-flags}`, lower-case hex. Pure, so the rules are table-tested.
 */
export interface TraceContext {
  /** 32 hex digits, not all zero. */
  traceId: string;
  /** 16 hex digits, not all zero: the span this context points at. */
  spanId: string;
  /** 2 hex digits; bit 0 is "sampled". */
  flags: string;
  /** The vendor-specific `tracestate`, passed on as received. */
  tracestate?: string;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// A later version may append fields after the flags; its first four fields keep the version-00 layout.
const FUTURE_VERSION = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;
/** tracestate: at most 32 list members, 512 characters is what the spec asks vendors to keep. */
const MAX_TRACESTATE = 512;

/**
 * Reads a traceparent header; undefined when it is absent or invalid (the spec says to ignore an
 * invalid one and start a new trace). A tracestate is kept only beside a valid traceparent.
 */
export function parseTraceparent(traceparent: string | null | undefined, tracestate?: string | null): TraceContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const value = traceparent.trim();
  let found = VERSION_00.exec(value);
  let traceId: string, spanId: string, flags: string;
  if (found) {
    [, traceId, spanId, flags] = found;
  } else {
    found = FUTURE_VERSION.exec(value);
    // Version ff is forbidden; version 00 must match exactly (no trailing fields).
    if (!found || found[1] === 'ff' || found[1] === '00') return undefined;
    [, , traceId, spanId, flags] = found;
  }
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  const state = tracestate?.trim();
  return { traceId, spanId, flags, ...(state && state.length <= MAX_TRACESTATE ? { tracestate: state } : {}) };
}

/** The version-00 header for a context. */
export function formatTraceparent(context: Pick<TraceContext, 'traceId' | 'spanId' | 'flags'>): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

export const newTraceId = (): string => nonZeroHex(16);
export const newSpanId = (): string => nonZeroHex(8);

// Ids are cut from a pool of random bytes refilled 4 KB at a time (as node:crypto's randomUUID
// does): every publish and every attempt makes one, and a randomBytes call each costs more.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function nonZeroHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (!ALL_ZERO.test(hex)) return hex;
  }
}

/** Sampled: what a trace the hub starts itself carries. */
export const SAMPLED = '01';
