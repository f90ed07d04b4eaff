/** The formats a topic source's records may have (the `source.format` attribute). */
export type RecordFormat = 'tmf' | 'cloudevents';

/** One record as a bridge read it, in the terms every broker shares. */
export interface SourceRecord {
  value: Buffer | string | null;
  /**
   * The CloudEvents attributes the record carries in binary mode, read from its broker's binding
   * (Kafka `ce_*` headers, NATS `ce-*` headers, AMQP `cloudEvents_*` application properties, MQTT 5
   * user properties), without their prefix: `{id, type, source, specversion, time}`.
   */
  attributes: Readonly<Record<string, string>>;
  /** The eventId a TMF record without one gets (derivedEventId()): stable across redeliveries. */
  derivedEventId: string;
}

/** The event a source record publishes, or why it cannot be one (the record is dead-lettered). */
export type SourceEvent = { event: Record<string, unknown> } | { invalid: string };

const REQUIRED_ATTRIBUTES = ['specversion', 'id', 'type', 'source'] as const;

/**
 * The CloudEvents attributes among a record's headers: those named `<prefix><attribute>`, prefix
 * removed, attribute lower-cased. MQTT 5 user properties carry them without prefix (''). Pure.
 */
export function cloudEventAttributes(headers: Readonly<Record<string, string>>, prefixes: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const prefix = prefixes.find((p) => name.toLowerCase().startsWith(p.toLowerCase()));
    if (prefix !== undefined && name.length > prefix.length) attributes[name.slice(prefix.length).toLowerCase()] = value;
  }
  return attributes;
}

/**
 * A source record as the body POST /topic/{id}/event would receive. `tmf`: the record value is the
 * TMF event itself. `cloudevents`: in binary mode (the required attributes among the record's
 * binding headers) the attributes are the CloudEvent and the value its data; otherwise the value
 * is a structured-mode CloudEvent. Either way its `id` becomes the eventId, `type` the eventType,
 * `time` the eventTime, and its `data` is the TMF event (its `event` payload, or the whole data
 * when it has none). Pure.
 */
export function sourceEvent(format: RecordFormat, record: SourceRecord): SourceEvent {
  const binary = format === 'cloudevents' && REQUIRED_ATTRIBUTES.every((name) => record.attributes[name] !== undefined);
  const value = record.value;
  if (value === null || value.length === 0) return { invalid: 'the record has no value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch (err) {
    return { invalid: `the record value is not JSON: ${(err as Error).message}` };
  }
  if (binary) return cloudEvent({ ...record.attributes, data: parsed });
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { invalid: 'the record value is not a JSON object' };
  const object = parsed as Record<string, unknown>;
  if (format === 'tmf') return { event: object.eventId === undefined ? { ...object, eventId: record.derivedEventId } : object };
  return cloudEvent(object);
}

function cloudEvent(record: Record<string, unknown>): SourceEvent {
  for (const attribute of REQUIRED_ATTRIBUTES) {
    if (typeof record[attribute] !== 'string' || record[attribute] === '') return { invalid: `the CloudEvent has no ${attribute}` };
  }
  const data = record.data;
  const inner = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const event: Record<string, unknown> = {
    ...(inner && 'event' in inner ? inner : { event: data ?? {} }),
    eventId: record.id,
    eventType: record.type,
  };
  if (typeof record.time === 'string') event.eventTime = record.time;
  return { event };
}
