import type { Delivery } from '../store/delivery-types';
import type { DeliveryTransport } from './delivery-transport';
import type { OutgoingRecord, RecordResult } from '../bridge/bridge-record';

export type { OutgoingRecord, RecordResult } from '../bridge/bridge-record';

/**
 * What a broker bridge hands the composition root for its deliveries: the scheme of its callbacks,
 * why a destination name is refused, how the attempt's HTTP headers become record headers (each
 * broker's CloudEvents binding), and the producer. Each bridge (src/kafka, src/nats, src/amqp,
 * src/mqtt) implements it; recordTransport() makes it a DeliveryTransport.
 */
export interface RecordTarget {
  readonly scheme: string;
  destinationRefusal(name: string): string | undefined;
  recordHeaders(httpHeaders: Record<string, string>): Record<string, string>;
  send(record: OutgoingRecord): Promise<RecordResult>;
}

/** The record key: the hub's ordering key value when the hub is ordered, else the event's eventId. */
export function recordKey(delivery: Pick<Delivery, 'orderingKey' | 'eventId'>): string {
  return delivery.orderingKey ?? delivery.eventId;
}

/** A broker as a delivery transport: the attempt's body is the record value, its headers the record headers. */
export function recordTransport(target: RecordTarget): DeliveryTransport {
  const prefix = target.scheme.length + 1;
  return {
    schemes: [target.scheme],
    broker: true,
    creationRefusal: (url) => target.destinationRefusal(url.slice(prefix)),
    async send({ delivery, body, headers, timeoutMs }) {
      const sent = await target.send({ topic: delivery.url.slice(prefix), key: recordKey(delivery), value: body, headers: target.recordHeaders(headers), timeoutMs });
      return sent.error ? { error: sent.error, durationMs: sent.durationMs } : { acknowledged: true, response: sent.response, durationMs: sent.durationMs };
    },
  };
}
