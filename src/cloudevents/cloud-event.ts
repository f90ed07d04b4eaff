/**
 * The CloudEvents 1.0 mapping of a TMF notification (https://github.com/cloudevents/spec), shared
 * by the fan-out (which fixes the attributes when an event is published), the delivery worker
 * (which formats each attempt) and the WebSocket stream. Pure and allocation-light: the data is
 * the notification JSON already serialised once, spliced in as text.
 *
 *   id              the delivery id (stable across retries); on a stream, the event id
 *   source          the topic's href
 *   type            eventType
 *   time            eventTime
 *   subject         the id of the event's resource (event.<resource>.id) where there is one
 *   datacontenttype application/json
 *   data            the notification, as the plain TMF delivery would send it
 */

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
export const SPEC_VERSION = '1.0';

/** The attributes fixed when the event is published; the id is added per delivery or stream message. */
export interface CloudEventContext {
  source: string;
  type: string;
  time?: string;
  subject?: string;
}

export interface CloudEventAttributes extends CloudEventContext {
  id: string;
}

/** The attributes of a notification: `source` is the topic's href. */
export function cloudEventContext(notification: Record<string, unknown>, source: string): CloudEventContext {
  const type = typeof notification.eventType === 'string' && notification.eventType !== '' ? notification.eventType : 'Event';
  const time = typeof notification.eventTime === 'string' ? notification.eventTime : undefined;
  const subject = eventSubject(notification);
  return { source, type, ...(time ? { time } : {}), ...(subject ? { subject } : {}) };
}

/**
 * The id of the resource a TMF event is about: the first attribute of `event` that is an object
 * with a string or number `id` (event.productOrder.id, event.topic.id, ...).
 */
export function eventSubject(notification: Record<string, unknown>): string | undefined {
  const payload = notification.event;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  for (const value of Object.values(payload)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const id = (value as Record<string, unknown>).id;
      if (typeof id === 'string' && id !== '') return id;
      if (typeof id === 'number') return String(id);
    }
  }
  return undefined;
}

/** Structured mode: the whole CloudEvent as one JSON document, `data` being the notification JSON as given. */
export function structuredCloudEvent(attributes: CloudEventAttributes, dataJson: string): string {
  const head: Record<string, string> = { specversion: SPEC_VERSION, id: attributes.id, source: attributes.source, type: attributes.type };
  if (attributes.time !== undefined) head.time = attributes.time;
  if (attributes.subject !== undefined) head.subject = attributes.subject;
  head.datacontenttype = 'application/json';
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)},"data":${dataJson}}`;
}

/** Binary mode: the notification is the body, the attributes go in ce-* headers (HTTP protocol binding). */
export function binaryCloudEventHeaders(attributes: CloudEventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    'ce-specversion': SPEC_VERSION,
    'ce-id': encodeHeaderValue(attributes.id),
    'ce-source': encodeHeaderValue(attributes.source),
    'ce-type': encodeHeaderValue(attributes.type),
  };
  if (attributes.time !== undefined) headers['ce-time'] = encodeHeaderValue(attributes.time);
  if (attributes.subject !== undefined) headers['ce-subject'] = encodeHeaderValue(attributes.subject);
  return headers;
}

/**
 * The HTTP binding percent-encodes header values outside printable ASCII (and `%` itself),
 * so any subject survives as a header.
 */
function encodeHeaderValue(value: string): string {
  return /^[\x20-\x24\x26-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}
