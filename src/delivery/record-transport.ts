import { KAFKA_SCHEME, type Delivery } from '../store/delivery-types';

export { KAFKA_SCHEME };

/** One record to produce: what a `kafka:` delivery attempt sends instead of an HTTP POST. */
export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** The attempt fails when the broker has not acknowledged within this time. */
  timeoutMs: number;
}

/** The broker acknowledged (acks=all), or `error` says why not. Never thrown. */
export interface RecordResult {
  error?: string;
  /** What the broker answered, for the attempt log. */
  response?: string;
  durationMs: number;
}

/**
 * The port the delivery worker produces `kafka:` deliveries through, beside the HTTP client. The
 * Kafka adapter (src/kafka) implements it; the composition root hands it over only when
 * HUB_KAFKA_BROKERS is set.
 */
export interface RecordTransport {
  send(record: OutgoingRecord): Promise<RecordResult>;
}

export function isKafkaCallback(url: string): boolean {
  return url.startsWith(KAFKA_SCHEME);
}

/** The record key: the hub's ordering key value when the hub is ordered, else the event's eventId. */
export function recordKey(delivery: Pick<Delivery, 'orderingKey' | 'eventId'>): string {
  return delivery.orderingKey ?? delivery.eventId;
}

/** Attempt headers that mean nothing on a Kafka record. */
const HTTP_ONLY = new Set(['user-agent']);

/**
 * The record headers of an attempt, from its HTTP headers: webhook-* (id, timestamp, signature,
 * attempt, replay), traceparent and content-type as they are; the CloudEvents HTTP binding's `ce-*`
 * become the Kafka binding's `ce_*` (ce_id, ce_type, ce_source, ce_time, ce_specversion).
 */
export function recordHeaders(httpHeaders: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(httpHeaders)) {
    if (HTTP_ONLY.has(name)) continue;
    headers[name.startsWith('ce-') ? `ce_${name.slice(3)}` : name] = value;
  }
  return headers;
}
