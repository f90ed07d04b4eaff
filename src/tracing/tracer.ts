import { newSpanId, newTraceId, SAMPLED, type TraceContext } from './trace-context';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** What the hub records spans of: a publish (the producer side) and each delivery attempt (a client call). */
export type SpanKind = 'producer' | 'client';

export interface SpanHandle {
  /** This span's own context: the traceparent of anything done on its behalf points at it. */
  readonly context: TraceContext;
  /** Ends the span with what happened; `error` marks it failed. */
  end(attributes?: SpanAttributes, error?: string): void;
}

/**
 * The trace port the domain and the worker use. Without an exporter (the default) it only makes
 * ids, so listeners still join the producer's trace; with OTEL_EXPORTER_OTLP_ENDPOINT the
 * composition root loads the OpenTelemetry SDK behind it (otel-tracer.ts).
 */
export interface Tracer {
  /** Whether spans go anywhere: without an exporter, callers skip building span attributes. */
  readonly recording: boolean;
  /** A child of `parent`, or the root of a new trace when there is none. */
  startSpan(name: string, kind: SpanKind, parent: TraceContext | undefined, attributes?: SpanAttributes): SpanHandle;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

/** Ids only: no SDK, no allocation beyond the ids and the context object. */
export const ID_ONLY_TRACER: Tracer = {
  recording: false,
  startSpan(_name, _kind, parent) {
    const context: TraceContext = parent
      ? { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags, ...(parent.tracestate ? { tracestate: parent.tracestate } : {}) }
      : { traceId: newTraceId(), spanId: newSpanId(), flags: SAMPLED };
    return { context, end: () => undefined };
  },
  shutdown: async () => undefined,
};
