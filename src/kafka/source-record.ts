/** Where a record was read: what a TMF event without eventId gets its deterministic id from. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** The event a source record publishes, or why it cannot be one (the record goes to the dead-letter topic). */
export type SourceEvent = { event: Record<string, unknown> } | { invalid: string };

/**
 * The eventId of a TMF record that has none: the same for every read of the same record, so a
 * replay after a crash is refused as a duplicate instead of published twice.
 */
export function positionEventId(position: RecordPosition): string {
  return `kafka:${position.topic}:${position.partition}:${position.offset}`;
}

/**
 * A source record's value as the body POST /topic/{id}/event would receive. `tmf`: the TMF event
 * itself. `cloudevents`: a structured-mode CloudEvent, whose `id` becomes the eventId, `type` the
 * eventType, `time` the eventTime, and whose `data` is the TMF event (its `event` payload, or the
 * whole data when it has none). Pure.
 */
export function sourceEvent(format: 'tmf' | 'cloudevents', value: Buffer | string | null, position: RecordPosition): SourceEvent {
  if (value === null || value.length === 0) return { invalid: 'the record has no value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch (err) {
    return { invalid: `the record value is not JSON: ${(err as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { invalid: 'the record value is not a JSON object' };
  const record = parsed as Record<string, unknown>;
  if (format === 'tmf') return { event: record.eventId === undefined ? { ...record, eventId: positionEventId(position) } : record };
  for (const attribute of ['specversion', 'id', 'type', 'source']) {
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
