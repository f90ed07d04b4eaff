import type { OutgoingRecord, RecordResult } from './bridge-record';
import type { BridgeStatus } from './bridge-status';
import type { SourceReader } from './source-reader';

/**
 * A broker bridge as the composition root holds it: its deliveries (structurally the delivery
 * layer's RecordTarget), its topic sources (the hub's EventSource port), its status, and its life.
 * Each adapter (src/kafka, src/nats, src/amqp, src/mqtt) is the only importer of its client library
 * and is loaded only when its variable is set.
 */
export interface Bridge {
  /** The callback scheme and `source` attribute: `kafka`, `nats`, `amqp`, `mqtt`. */
  readonly key: string;
  target: {
    readonly scheme: string;
    destinationRefusal(name: string): string | undefined;
    recordHeaders(httpHeaders: Record<string, string>): Record<string, string>;
    send(record: OutgoingRecord): Promise<RecordResult>;
  };
  sources: { topicRefusal(name: string): string | undefined; changed(): void };
  status(): BridgeStatus;
  /** Starts reading the topic sources (processes that run the worker). */
  start(): void;
  /** Reads which topics have a source of this broker again: those created through other processes (a scheduler job). */
  refreshSources(): Promise<void>;
  stop(): Promise<void>;
}

export interface BridgeParts {
  key: string;
  /** Where it connects, credentials redacted. */
  server: string;
  target: Bridge['target'];
  topicRefusal(name: string): string | undefined;
  reader: SourceReader;
  producer(): BridgeStatus['producer'];
  /** Closes the producer's connections, once the reader stopped. */
  close(): Promise<void>;
}

/** A bridge from its parts: the sources follow the topics only once started, and stop before the producer closes. */
export function assembleBridge(parts: BridgeParts): Bridge {
  const { reader } = parts;
  let started = false;
  return {
    key: parts.key,
    target: parts.target,
    sources: { topicRefusal: parts.topicRefusal, changed: () => void (started && reader.refresh()) },
    status: () => ({ server: parts.server, producer: parts.producer(), sources: { ...reader.stats, lag: reader.lag() } }),
    start() {
      started = true;
      void reader.refresh();
    },
    refreshSources: () => (started ? reader.refresh() : Promise.resolve()),
    async stop() {
      await reader.stop();
      await parts.close();
    },
  };
}
