import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { elapsedMs, type OutgoingRecord as ProducedRecord, type RecordResult as ProduceResult } from '../bridge/bridge-record';
import type { Logger } from '../logger';

export type { OutgoingRecord as ProducedRecord, RecordResult as ProduceResult } from '../bridge/bridge-record';

interface Waiting {
  record: ProducedRecord;
  resolve(result: ProduceResult): void;
}

/** Counts of what this process produced, for /metrics. */
export interface ProducerStats {
  records: { acknowledged: number; failed: number };
  batches: number;
  connected: boolean;
}

/**
 * Produces the deliveries to Kafka topics. Records due together (the worker's claimed batch) are gathered per
 * topic and sent as one produce request, acks=all: each attempt is delivered when the broker
 * acknowledged its batch, and failed (retried on the hub's schedule) on any error or timeout. kafkajs'
 * own retries are off, so the hub's retry schedule is the only one. After a failure the producer is
 * dropped and the next batch connects afresh.
 */
export class KafkaRecordProducer {
  private waiting = new Map<string, Waiting[]>();
  private scheduled = false;
  private producer: Promise<Producer> | undefined;
  readonly stats: ProducerStats = { records: { acknowledged: 0, failed: 0 }, batches: 0, connected: false };

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
  ) {}

  send(record: ProducedRecord): Promise<ProduceResult> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(record.topic);
      if (queue) queue.push({ record, resolve });
      else this.waiting.set(record.topic, [{ record, resolve }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current microtasks: every attempt of the worker's claimed batch joins this one.
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await producer.then((p) => p.disconnect()).catch(() => undefined);
  }

  private flush(): void {
    this.scheduled = false;
    const batches = this.waiting;
    this.waiting = new Map();
    for (const [topic, items] of batches) void this.produce(topic, items);
  }

  private connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true, retry: { retries: 0 } });
      this.producer = producer.connect().then(() => {
        this.stats.connected = true;
        return producer;
      });
      this.producer.catch(() => undefined);
    }
    return this.producer;
  }

  private async produce(topic: string, items: Waiting[]): Promise<void> {
    const started = performance.now();
    const timeoutMs = Math.max(...items.map((item) => item.record.timeoutMs));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const sent = await Promise.race([
        this.connected().then((producer) =>
          producer.send({
            topic,
            acks: -1,
            timeout: timeoutMs,
            messages: items.map(({ record }) => ({ key: record.key, value: record.value, headers: record.headers })),
          }),
        ),
        timeout,
      ]);
      const durationMs = elapsedMs(started);
      const where = sent.map((m) => `partition ${m.partition}`).join(', ');
      this.stats.batches++;
      this.stats.records.acknowledged += items.length;
      for (const item of items) item.resolve({ response: `acknowledged by ${topic} (${where}, acks=all)`, durationMs });
    } catch (err) {
      const durationMs = elapsedMs(started);
      const error = `Kafka: ${(err as Error).message}`;
      this.stats.records.failed += items.length;
      this.logger.debug('kafka produce failed', { topic, records: items.length, error });
      this.stats.connected = false;
      // A fresh connection for the next batch: the broker may have moved or restarted.
      const stale = this.producer;
      this.producer = undefined;
      void stale?.then((p) => p.disconnect()).catch(() => undefined);
      for (const item of items) item.resolve({ error, durationMs });
    } finally {
      clearTimeout(timer);
    }
  }
}
