/** Attempt headers that mean nothing on a broker message. */
const HTTP_ONLY = new Set(['user-agent']);

/**
 * The message headers of a broker delivery, from the attempt's HTTP headers: webhook-* (id,
 * timestamp, signature, attempt, replay), traceparent and content-type as they are; the CloudEvents
 * HTTP binding's `ce-*` renamed to the broker's binding: `ce_` for Kafka, `ce-` for NATS (the same),
 * `cloudEvents_` for AMQP, none for MQTT 5 user properties. Pure.
 */
export function bindingHeaders(httpHeaders: Readonly<Record<string, string>>, cePrefix: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(httpHeaders)) {
    if (HTTP_ONLY.has(name)) continue;
    headers[name.startsWith('ce-') ? `${cePrefix}${name.slice(3)}` : name] = value;
  }
  return headers;
}
