/** Attempt headers that mean nothing on a Kafka record. */
const HTTP_ONLY = new Set(['user-agent']);

/**
 * The record headers of an attempt, from its HTTP headers: webhook-* (id, timestamp, signature,
 * attempt, replay), traceparent and content-type as they are; the CloudEvents HTTP binding's `ce-*`
 * become the Kafka binding's `ce_*` (ce_id, ce_type, ce_source, ce_time, ce_specversion). Pure.
 */
export function kafkaRecordHeaders(httpHeaders: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(httpHeaders)) {
    if (HTTP_ONLY.has(name)) continue;
    headers[name.startsWith('ce-') ? `ce_${name.slice(3)}` : name] = value;
  }
  return headers;
}
