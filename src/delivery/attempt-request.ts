import { binaryCloudEventHeaders, CLOUDEVENTS_CONTENT_TYPE, structuredCloudEvent } from '../cloudevents/cloud-event';
import type { Delivery } from '../store/delivery-types';
import { formatTraceparent, type TraceContext } from '../tracing/trace-context';
import { attemptHeaders } from './attempt-headers';

export interface AttemptRequestInput {
  delivery: Pick<Delivery, 'id' | 'payload' | 'cloudEvent' | 'replay'>;
  /** 1 for the first attempt. */
  attemptNumber: number;
  /** When the attempt starts, ms since epoch. */
  now: number;
  /** The hub's signing secrets, newest first. */
  secrets: readonly string[];
  /** The attempt's own span: sent as traceparent (and the producer's tracestate), so the listener joins the trace. */
  trace?: TraceContext;
}

/**
 * The body and headers of one attempt. The plain TMF notification goes as it was serialised at
 * publish time; a CloudEvent wraps it (structured mode, id = the delivery id, so the same on every
 * retry) or adds ce-* headers to it (binary mode). The signature covers the body actually sent.
 */
export function attemptRequest(input: AttemptRequestInput): { body: string; headers: Record<string, string> } {
  const { delivery } = input;
  const structured = delivery.cloudEvent?.mode === 'structured';
  const body = structured ? structuredCloudEvent({ ...delivery.cloudEvent!, id: delivery.id }, delivery.payload) : delivery.payload;
  const headers = attemptHeaders({
    deliveryId: delivery.id,
    attemptNumber: input.attemptNumber,
    now: input.now,
    payload: body,
    secrets: input.secrets,
    replay: delivery.replay,
    ...(structured ? { contentType: CLOUDEVENTS_CONTENT_TYPE } : {}),
  });
  if (delivery.cloudEvent?.mode === 'binary') Object.assign(headers, binaryCloudEventHeaders({ ...delivery.cloudEvent, id: delivery.id }));
  if (input.trace) {
    headers.traceparent = formatTraceparent(input.trace);
    if (input.trace.tracestate) headers.tracestate = input.trace.tracestate;
  }
  return { body, headers };
}
