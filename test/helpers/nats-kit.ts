import { randomUUID } from 'node:crypto';
import { connect, headers as natsHeaders, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { PROJECT_ROOT } from '../../src/paths';
import type { BrokerKit, Received } from './broker-kit';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

async function withNats<T>(address: string, use: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: address, timeout: 20_000 });
  try {
    return await use(nc);
  } finally {
    await nc.close();
  }
}

/** Every message of the stream capturing `subject`, from its start, until `enough` or the time passes. */
async function readSubject(address: string, subject: string, enough: (r: Received[]) => boolean, timeoutMs: number): Promise<Received[]> {
  return withNats(address, async (nc) => {
    const records: Received[] = [];
    const deadline = Date.now() + timeoutMs;
    const jsm = await nc.jetstreamManager();
    // The hub makes the stream on its first delivery to the subject: until then there is nothing to read yet.
    let stream: string | undefined;
    while (!(stream = await jsm.streams.find(subject).catch(() => undefined)) && Date.now() < deadline) await delay(100);
    if (!stream) return records;
    const consumer = await nc.jetstream().consumers.get(stream, { filterSubjects: [subject] });
    while (!enough(records) && Date.now() < deadline) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
      for await (const msg of batch) {
        const headers: Record<string, string> = {};
        for (const name of msg.headers?.keys() ?? []) headers[name] = msg.headers!.get(name);
        records.push({ value: msg.string(), headers });
      }
    }
    return records;
  });
}

export const natsKit: BrokerKit = {
  key: 'nats',
  variable: 'HUB_TEST_NATS_URL',
  script: join(PROJECT_ROOT, 'test', 'nats-server', 'start-nats.sh'),
  scriptPrefix: 'NATS',
  config: (address) => ({ natsUrl: address, natsConsumer: `c-${randomUUID().slice(0, 8)}` }),
  env: (address) => ({ HUB_NATS_URL: address, HUB_NATS_CONSUMER: `c-${randomUUID().slice(0, 8)}` }),
  unique: (prefix) => `${prefix}.${randomUUID().slice(0, 8)}`,
  prepareSource: (address, name) =>
    withNats(address, async (nc) => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: `T_${name.replace(/\W/g, '_')}`, subjects: [name], storage: StorageType.File, retention: RetentionPolicy.Limits });
    }),
  produce: (address, name, records) =>
    withNats(address, async (nc) => {
      const js = nc.jetstream();
      for (let i = 0; i < records.length; i += 100) {
        await Promise.all(
          records.slice(i, i + 100).map(({ value, headers }) => {
            const h = natsHeaders();
            for (const [k, v] of Object.entries(headers ?? {})) h.set(k, v);
            return js.publish(name, value, { headers: h });
          }),
        );
      }
    }),
  readDeadLetters: (address, name, enough, timeoutMs) => readSubject(address, `${name}.dlq`, enough, timeoutMs),
  destination: async (address, name) => ({
    callback: `nats:${name}`,
    read: (enough, timeoutMs) => readSubject(address, name, enough, timeoutMs),
    close: async () => undefined,
  }),
  ceHeader: (attribute) => `ce-${attribute}`,
  errorPrefix: /^NATS: /,
  dedupes: true,
  tellsLag: true,
  rereadConfig: (address) => ({ natsUrl: address, natsConsumer: `c-${randomUUID().slice(0, 8)}` }),
};
