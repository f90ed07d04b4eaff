import { headers as natsHeaders } from 'nats';
import { acknowledgement, type OutgoingRecord, type RecordResult } from '../bridge/bridge-record';
import { ProducerCounts } from '../bridge/bridge-status';
import type { NatsLink } from './nats-connection';
import type { StreamFinder } from './nats-streams';

/**
 * Publishes the deliveries to `nats:<subject>` callbacks with JetStream: the delivery id as
 * Nats-Msg-Id, so a retry of a publish whose acknowledgement was lost is a duplicate the server
 * drops (within the stream's duplicate window), and the attempt delivered once the stream
 * acknowledged it. A subject no stream captures gets one (StreamFinder).
 */
export class NatsProducer {
  readonly counts = new ProducerCounts();

  constructor(
    private readonly link: NatsLink,
    private readonly streams: StreamFinder,
  ) {}

  async send(record: OutgoingRecord): Promise<RecordResult> {
    const result = await acknowledgement('NATS', record.timeoutMs, () => this.publish(record), (err) => this.link.describe(err));
    this.counts.count(result);
    return result;
  }

  private async publish(record: OutgoingRecord): Promise<string> {
    const { js } = await this.link.jetStream();
    await this.streams.capturing(record.topic);
    const h = natsHeaders();
    for (const [name, value] of Object.entries(record.headers)) h.set(name, value);
    const msgID = record.headers['webhook-id'];
    const ack = await js.publish(record.topic, record.value, { msgID, headers: h, timeout: record.timeoutMs });
    return ack.duplicate
      ? `duplicate of sequence ${ack.seq} in stream ${ack.stream} (Nats-Msg-Id ${msgID}): already stored`
      : `stored in stream ${ack.stream} as sequence ${ack.seq}`;
  }
}
