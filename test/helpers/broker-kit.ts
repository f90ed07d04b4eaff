import type { Config } from '../../src/config';

/** One message as a test read it from a broker. */
export interface Received {
  value: string;
  headers: Record<string, string>;
}

/** A callback destination of the test's own, set up so that what the hub delivers to it is kept. */
export interface Destination {
  /** The hub callback: `nats:<subject>`, `amqp:/<queue>`, `mqtt:<topic>`. */
  callback: string;
  /** What arrived, read until `enough` says so or `timeoutMs` passes. */
  read(enough: (records: Received[]) => boolean, timeoutMs: number): Promise<Received[]>;
  close(): Promise<void>;
}

/**
 * What the broker-independent suites (test/helpers/broker-suites.ts) need of one broker: its test
 * server, how the hub is configured for it, and a client of the test's own to produce and read.
 */
export interface BrokerKit {
  key: 'nats' | 'amqp' | 'mqtt';
  /** The test server's address as CI passes it (HUB_TEST_NATS_URL, ...). */
  variable: string;
  /** Its start script, and the prefix of the script's variables (<prefix>_DIR, _PORT, _KEEP_DATA). */
  script: string;
  scriptPrefix: string;
  /** The hub's configuration for a server at `address`, each call isolated from other runs (consumer names, client ids). */
  config(address: string): Partial<Config>;
  /** The same as the environment of a hub process. */
  env(address: string): Record<string, string>;
  /** A destination name no other run uses. */
  unique(prefix: string): string;
  /** Makes a source destination exist (and keep what is produced to it) before the hub reads it. */
  prepareSource(address: string, name: string): Promise<void>;
  produce(address: string, name: string, records: ReadonlyArray<{ value: string; headers?: Record<string, string> }>): Promise<void>;
  /** Reads the dead-letter destination of the source `name`. */
  readDeadLetters(address: string, name: string, enough: (records: Received[]) => boolean, timeoutMs: number): Promise<Received[]>;
  destination(address: string, name: string): Promise<Destination>;
  /** The header a CloudEvents attribute travels in, in this broker's binding. */
  ceHeader(attribute: string): string;
  /** The start of a failed attempt's error. */
  errorPrefix: RegExp;
  /** Whether the broker drops a republished delivery (NATS: Nats-Msg-Id): then none is duplicated downstream. */
  dedupes: boolean;
  /** Whether the broker tells a source's lag (NATS: the consumer's pending count; RabbitMQ: the queue's ready count; MQTT tells none). */
  tellsLag: boolean;
  /** A configuration that reads the whole source again from its start (a new consumer), when the broker keeps what was read. */
  rereadConfig?(address: string): Partial<Config>;
}
