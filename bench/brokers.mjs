// The fan-out-to-a-broker scenarios of npm run bench: deliveries per second to one hub whose callback
// is a broker destination (kafka:, nats:, amqp:, mqtt:), for each broker the bench is given
// (HUB_KAFKA_BROKERS, HUB_NATS_URL, HUB_AMQP_URL, HUB_MQTT_URL, e.g. from the test servers' start
// scripts), as a share of the raw HTTP client limit.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { inParallel, nowMs, sleep, startHub } from './lib.mjs';

/** Kafka's topic gets three partitions, as before this scenario covered other brokers. */
async function kafkaTopic(address, name) {
  const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs');
  const admin = new Kafka({ clientId: 'tmf688-bench', brokers: address.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: name, numPartitions: 3 }], waitForLeaders: true });
  return async () => {
    await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    await admin.disconnect();
  };
}

const KNOWN = [
  { key: 'kafka', name: 'Kafka', variable: 'HUB_KAFKA_BROKERS', callback: (n) => `kafka:${n}`, prepare: kafkaTopic },
  // The hub creates the JetStream stream of a subject none captures, and declares the queue of amqp:/<queue>.
  { key: 'nats', name: 'NATS', variable: 'HUB_NATS_URL', callback: (n) => `nats:${n}` },
  { key: 'amqp', name: 'RabbitMQ', variable: 'HUB_AMQP_URL', callback: (n) => `amqp:/${n}` },
  { key: 'mqtt', name: 'MQTT', variable: 'HUB_MQTT_URL', callback: (n) => `mqtt:${n.replace('.', '/')}` },
];

/**
 * The brokers given, each with its address, read once here and removed from this process's
 * environment: the hubs of the other scenarios inherit it, and they must run without the bridges.
 */
export const BROKERS = KNOWN.flatMap((broker) => {
  const address = process.env[broker.variable] || undefined;
  delete process.env[broker.variable];
  return address ? [{ ...broker, address }] : [];
});

/** What the hub's bridge counts as acknowledged by the broker (its /metrics counter). */
async function acknowledged(hub, key) {
  const text = await (await fetch(`${hub.base}/metrics`)).text();
  const match = new RegExp(`^tmf688_${key}_produced_records_total\\{result="acknowledged"\\} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/** Events published to a topic with one hub on the broker (default delivery settings) until the broker acknowledged them all. */
export async function brokerFanout(broker, env, { deliveries, log, rawClientPerSecond, startHub: start = startHub }) {
  const destination = `bench.${randomUUID().slice(0, 8)}`;
  log(`fan-out to ${broker.name}: ${deliveries} events x 1 ${broker.key}: hub (${broker.callback(destination)})`);
  const cleanup = broker.prepare ? await broker.prepare(broker.address, destination) : async () => undefined;
  const hub = await start({ ...env, [broker.variable]: broker.address });
  try {
    const topic = await hub.post('/topic', { name: `bench-${broker.key}` });
    await hub.post(`/topic/${topic.id}/hub`, { callback: broker.callback(destination) });
    const event = { eventType: 'ProductOrderStateChangeEvent', domain: 'commercial', priority: '3', event: { productOrder: { id: 'PO-1', state: 'completed' } } };
    hub.probe?.reset?.();
    const started = nowMs();
    await inParallel(deliveries, 8, () => hub.post(`/topic/${topic.id}/event`, event));
    const deadline = started + 300_000;
    let produced = 0;
    let lastAt = started;
    while (produced < deliveries) {
      if (nowMs() > deadline) throw new Error(`fan-out to ${broker.name}: only ${produced} of ${deliveries} acknowledged after 300 s`);
      await sleep(20);
      produced = await acknowledged(hub, broker.key);
      lastAt = nowMs();
    }
    const perSecond = produced / ((lastAt - started) / 1000);
    const probe = await hub.probe?.read?.();
    return { deliveries: produced, perSecond, ratioToRawClient: perSecond / rawClientPerSecond, hub: probe, ...(probe?.cpuMs !== undefined ? { cpuUsPerUnit: (probe.cpuMs * 1000) / produced } : {}) };
  } finally {
    await hub.stop();
    await cleanup();
  }
}

/** The result key of a broker's row: kafkaFanout, natsFanout, amqpFanout, mqttFanout. */
export const fanoutKey = (broker) => `${broker.key}Fanout`;

/** Their rows of the results table. */
export function brokerRows(r, name, f, pct, cols) {
  return KNOWN.filter((broker) => r[fanoutKey(broker)]).map((broker) => {
    const v = r[fanoutKey(broker)];
    return [`fan-out to ${broker.name}, 1 ${broker.key}: hub (deliveries/s)`, name, f(v.perSecond), pct(v.ratioToRawClient), ...cols(v)];
  });
}
