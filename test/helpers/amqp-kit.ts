import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { connect, type ChannelModel } from 'amqplib';
import { PROJECT_ROOT } from '../../src/paths';
import type { BrokerKit, Received } from './broker-kit';

async function withAmqp<T>(address: string, use: (model: ChannelModel) => Promise<T>): Promise<T> {
  const model = await connect(address);
  model.on('error', () => undefined);
  try {
    return await use(model);
  } finally {
    await model.close().catch(() => undefined);
  }
}

/** A message's headers as strings, with its properties as the hub sets them (content-type, message-id). */
export function amqpReceived(msg: { content: Buffer; properties: { headers?: Record<string, unknown>; contentType?: string; messageId?: string } }): Received {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(msg.properties.headers ?? {})) headers[name] = String(value);
  if (msg.properties.contentType) headers['content-type'] = msg.properties.contentType;
  if (msg.properties.messageId) headers['message-id'] = msg.properties.messageId;
  return { value: msg.content.toString(), headers };
}

/** Takes the messages of a queue (acknowledging them) until `enough` or the time passes. */
export async function readQueue(address: string, queue: string, enough: (r: Received[]) => boolean, timeoutMs: number): Promise<Received[]> {
  return withAmqp(address, async (model) => {
    const channel = await model.createChannel();
    const records: Received[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!enough(records) && Date.now() < deadline) {
      const msg = await channel.get(queue, { noAck: true }).catch(() => false as const);
      if (msg) records.push(amqpReceived(msg));
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return records;
  });
}

export const amqpKit: BrokerKit = {
  key: 'amqp',
  variable: 'HUB_TEST_AMQP_URL',
  script: join(PROJECT_ROOT, 'test', 'rabbitmq', 'start-rabbitmq.sh'),
  scriptPrefix: 'RABBITMQ_TEST',
  config: (address) => ({ amqpUrl: address }),
  env: (address) => ({ HUB_AMQP_URL: address }),
  unique: (prefix) => `${prefix}.${randomUUID().slice(0, 8)}`,
  prepareSource: (address, name) =>
    withAmqp(address, async (model) => {
      const channel = await model.createChannel();
      await channel.assertQueue(name, { durable: true });
    }),
  produce: (address, name, records) =>
    withAmqp(address, async (model) => {
      const channel = await model.createConfirmChannel();
      for (const { value, headers } of records) channel.sendToQueue(name, Buffer.from(value), { persistent: true, headers });
      await channel.waitForConfirms();
    }),
  readDeadLetters: (address, name, enough, timeoutMs) => readQueue(address, `${name}.dlq`, enough, timeoutMs),
  destination: async (address, name) => {
    await withAmqp(address, async (model) => void (await (await model.createChannel()).assertQueue(name, { durable: true })));
    return { callback: `amqp:/${name}`, read: (enough, timeoutMs) => readQueue(address, name, enough, timeoutMs), close: async () => undefined };
  },
  ceHeader: (attribute) => `cloudEvents_${attribute}`,
  errorPrefix: /^RabbitMQ: /,
  dedupes: false,
  tellsLag: true,
};
