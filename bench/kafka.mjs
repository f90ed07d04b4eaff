// The fan-out-to-Kafka scenario of npm run bench: deliveries per second to one `kafka:` hub, when
// the bench is given a broker (HUB_KAFKA_BROKERS, e.g. from test/kafka-broker/start-kafka.sh).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { inParallel, nowMs, sleep, startHub } from './lib.mjs';

/**
 * The broker, read once here and removed from this process's environment: the hubs of the other
 * scenarios inherit it, and they must run without the Kafka bridge, as before.
 */
export const KAFKA_BROKERS = process.env.HUB_KAFKA_BROKERS || undefined;
delete process.env.HUB_KAFKA_BROKERS;

/** Events published to a topic with one `kafka:<topic>` hub (default delivery settings) until the Kafka topic holds them all. */
export async function kafkaFanout(env, { deliveries, log, rawClientPerSecond, startHub: start = startHub }) {
  const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs');
  const kafka = new Kafka({ clientId: 'tmf688-bench', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const kafkaTopic = `bench.${randomUUID().slice(0, 8)}`;
  log(`fan-out to Kafka: ${deliveries} events x 1 kafka: hub (${kafkaTopic})`);
  const hub = await start({ ...env, HUB_KAFKA_BROKERS: KAFKA_BROKERS });
  try {
    await admin.createTopics({ topics: [{ topic: kafkaTopic, numPartitions: 3 }], waitForLeaders: true });
    const topic = await hub.post('/topic', { name: 'bench-kafka' });
    await hub.post(`/topic/${topic.id}/hub`, { callback: `kafka:${kafkaTopic}` });
    const event = { eventType: 'ProductOrderStateChangeEvent', domain: 'commercial', priority: '3', event: { productOrder: { id: 'PO-1', state: 'completed' } } };
    hub.probe?.reset?.();
    const started = nowMs();
    await inParallel(deliveries, 8, () => hub.post(`/topic/${topic.id}/event`, event));
    // Produced = the sum of the partitions' high watermarks (the topic was empty).
    const deadline = started + 300_000;
    let produced = 0;
    let lastAt = started;
    while (produced < deliveries) {
      if (nowMs() > deadline) throw new Error(`fan-out to Kafka: only ${produced} of ${deliveries} records after 300 s`);
      await sleep(20);
      produced = (await admin.fetchTopicOffsets(kafkaTopic)).reduce((sum, p) => sum + Number(p.high), 0);
      lastAt = nowMs();
    }
    const perSecond = produced / ((lastAt - started) / 1000);
    const probe = await hub.probe?.read?.();
    return { deliveries: produced, perSecond, ratioToRawClient: perSecond / rawClientPerSecond, hub: probe, ...(probe?.cpuMs !== undefined ? { cpuUsPerUnit: (probe.cpuMs * 1000) / produced } : {}) };
  } finally {
    await hub.stop();
    await admin.deleteTopics({ topics: [kafkaTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Its row of the results table. */
export function kafkaRows(r, name, f, pct, cols) {
  return r.kafkaFanout ? [['fan-out to Kafka, 1 kafka: hub (deliveries/s)', name, f(r.kafkaFanout.perSecond), pct(r.kafkaFanout.ratioToRawClient), ...cols(r.kafkaFanout)]] : [];
}
