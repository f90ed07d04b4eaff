import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { PROJECT_ROOT } from '../../src/paths';
import { describeWithServer, freePort, runScript } from './broker-test';

/**
 * The broker the Kafka suites use: CI starts one with test/kafka-broker/start-kafka.sh and passes
 * its address here, for both store runs. Locally, without it, the suites are skipped (and say so);
 * in CI a missing broker is a failure.
 */
export const TEST_KAFKA_BROKERS = process.env.HUB_TEST_KAFKA_BROKERS || undefined;
export const START_KAFKA = join(PROJECT_ROOT, 'test', 'kafka-broker', 'start-kafka.sh');

/** describe() when a broker is given; otherwise a skip that says why, or in CI a failing test. */
export function describeKafka(name: string, body: (brokers: string[]) => void): void {
  describeWithServer('HUB_TEST_KAFKA_BROKERS', 'test/kafka-broker/start-kafka.sh', name, (brokers) => body(brokers ? brokers.split(',') : []));
}

export function testKafka(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'tmf688-hub-test', brokers, logLevel: logLevel.NOTHING });
}

/** A topic name no other run uses (the CI broker is shared by both store runs). */
export function uniqueTopic(prefix: string): string {
  return `${prefix}.${randomUUID().slice(0, 8)}`;
}

export async function createTopics(kafka: Kafka, topics: Array<{ topic: string; numPartitions?: number }>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning, in a group of its own, until `enough` says so or `timeoutMs` passes. */
export async function readTopic(kafka: Kafka, topic: string, enough: (records: ReadRecord[]) => boolean, timeoutMs: number): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push(readRecord(partition, message));
        if (enough(records)) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return records;
  } finally {
    await consumer.disconnect();
  }
}

function readRecord(partition: number, message: KafkaMessage): ReadRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  return { partition, offset: message.offset, key: message.key?.toString(), value: message.value?.toString() ?? '', headers };
}

function run(env: Record<string, string>, ...args: string[]): Promise<string> {
  return runScript(START_KAFKA, env, args, 120_000);
}

/**
 * A broker of the test's own, which it may stop and start again on the same ports and data (the
 * outage test). Ports from HUB_TEST_KAFKA_OUTAGE_PORTS ("broker,controller"), else free ones.
 */
export class OwnBroker {
  private constructor(
    readonly brokers: string[],
    private readonly env: Record<string, string>,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnBroker> {
    const [port, controller] = process.env.HUB_TEST_KAFKA_OUTAGE_PORTS?.split(',').map(Number) ?? [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'tmf688-kafka-outage-'));
    const env = { KAFKA_DIR: dir, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controller), KAFKA_HEAP: '384m' };
    const broker = new OwnBroker([`127.0.0.1:${port}`], env, dir);
    await run(env);
    return broker;
  }

  /** Stops the broker (by its PID); its data stays for restart(). */
  async stop(): Promise<void> {
    await run(this.env, 'stop');
  }

  /** Starts it again on the same ports and data, without formatting. */
  async restart(): Promise<void> {
    await run({ ...this.env, KAFKA_KEEP_DATA: 'true' });
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
