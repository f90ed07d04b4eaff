import { acknowledgement, type OutgoingRecord, type RecordResult } from '../bridge/bridge-record';
import { ProducerCounts } from '../bridge/bridge-status';
import type { MqttLink } from './mqtt-client';

/**
 * Publishes the deliveries to `mqtt:<topic>` callbacks at QoS 1: the attempt is delivered once the
 * broker's PUBACK came back with a success reason code (0, or 16: no matching subscribers), the
 * headers as MQTT 5 user properties and content-type as the Content Type property. While the client
 * is not connected an attempt fails at once rather than queue (the hub retries on its schedule).
 */
export class MqttProducer {
  readonly counts = new ProducerCounts();

  constructor(private readonly link: MqttLink) {}

  async send(record: OutgoingRecord): Promise<RecordResult> {
    const result = await acknowledgement('MQTT', record.timeoutMs, () => this.publish(record), (err) => this.link.describe(err));
    this.counts.count(result);
    return result;
  }

  async publish(record: { topic: string; value: string | Buffer; headers: Record<string, string> }): Promise<string> {
    const client = await this.link.client();
    if (!client.connected) throw new Error('not connected to the broker');
    const { 'content-type': contentType, ...userProperties } = record.headers;
    const ack = await client.publishAsync(record.topic, record.value, {
      qos: 1,
      // An empty user properties list is sent malformed by the client (the broker never acknowledges it): left out instead.
      properties: { ...(Object.keys(userProperties).length ? { userProperties } : {}), ...(contentType ? { contentType } : {}) },
    });
    const code = ack && 'reasonCode' in ack ? ack.reasonCode : 0;
    return `PUBACK from the broker (QoS 1, reason code ${code ?? 0}${code === 16 ? ': no matching subscribers' : ''})`;
  }
}
