import { createHash } from 'node:crypto';

/**
 * The eventId of a TMF record that has none: the same for every read of the same record, so a
 * replay after a crash (the record read again before its acknowledgement reached the broker) is
 * refused as a duplicate instead of published twice. `position` is what the broker keeps stable
 * for a record: Kafka's partition and offset, a JetStream stream sequence, an AMQP message_id, or
 * where the broker has none (MQTT, AMQP without message_id) the content's digest. Pure.
 */
export function derivedEventId(broker: string, destination: string, position: string): string {
  return `${broker}:${destination}:${position}`;
}

/**
 * A record's position when the broker gives none that survives a redelivery: its content's SHA-256
 * (the first 128 bits, hex). Two records with the same bytes on one destination are then one event.
 */
export function contentPosition(value: Buffer | string | null): string {
  return `sha256:${createHash('sha256').update(value ?? '').digest('hex').slice(0, 32)}`;
}
