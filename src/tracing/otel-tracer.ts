import { ROOT_CONTEXT, SpanKind as OtelSpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TraceContext } from './trace-context';
import type { SpanAttributes, SpanKind, Tracer } from './tracer';

export interface OtelTracerOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to {endpoint}/v1/traces (OTLP/HTTP, JSON). */
  endpoint: string;
  serviceName: string;
  serviceVersion?: string;
  /** How long spans wait in the batch before they are sent. */
  exportDelayMs?: number;
}

const KINDS: Record<SpanKind, OtelSpanKind> = { producer: OtelSpanKind.PRODUCER, client: OtelSpanKind.CLIENT };

/**
 * The Tracer port over the OpenTelemetry SDK for Node, exporting over OTLP/HTTP. Only the
 * composition root loads this file, and only when an endpoint is configured: without one the SDK is
 * never required. No global provider or context manager is registered: parents are passed
 * explicitly (they come from outbox records, not from async context), so nothing else in the
 * process is instrumented or slowed down.
 */
export function createOtelTracer(options: OtelTracerOptions): Tracer {
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}) }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.exportDelayMs ?? 1000 })],
  });
  const tracer = provider.getTracer(options.serviceName, options.serviceVersion);
  return {
    recording: true,
    startSpan(name, kind, parent, attributes) {
      const span = tracer.startSpan(name, { kind: KINDS[kind], attributes: clean(attributes) }, parent ? parentContext(parent) : ROOT_CONTEXT);
      const own = span.spanContext();
      const context: TraceContext = {
        traceId: own.traceId,
        spanId: own.spanId,
        flags: own.traceFlags.toString(16).padStart(2, '0'),
        ...(parent?.tracestate ? { tracestate: parent.tracestate } : {}),
      };
      return {
        context,
        end(more, error) {
          if (more) span.setAttributes(clean(more));
          span.setStatus(error ? { code: SpanStatusCode.ERROR, message: error } : { code: SpanStatusCode.OK });
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}

function parentContext(parent: TraceContext): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parseInt(parent.flags, 16),
    isRemote: true,
  });
}

function clean(attributes: SpanAttributes | undefined): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) out[key] = value;
  return out;
}
