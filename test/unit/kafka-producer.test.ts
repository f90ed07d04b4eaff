import type { Kafka, Producer, ProducerRecord } from 'kafkajs';
import { createLogger } from '../../src/logger';
import { KafkaRecordProducer, type ProducedRecord } from '../../src/kafka/kafka-producer';

/** A kafkajs client whose producers record their sends and fail while `failing` is set. */
function fakeKafka() {
  const state = { created: 0, sends: [] as ProducerRecord[], failing: false, hang: false };
  const kafka = {
    producer: () => {
      state.created++;
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        send: async (record: ProducerRecord) => {
          state.sends.push(record);
          if (state.hang) return new Promise(() => undefined);
          if (state.failing) throw new Error('This server is not the leader for that topic-partition');
          return [{ topicName: record.topic, partition: 0, errorCode: 0 }];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, state };
}

const record = (topic: string, key: string, timeoutMs = 1000): ProducedRecord => ({ topic, key, value: `{"k":"${key}"}`, headers: { 'webhook-id': key }, timeoutMs });

describe('KafkaRecordProducer', () => {
  it('should send the records due together as one acks=all request per topic', async () => {
    const { kafka, state } = fakeKafka();
    const producer = new KafkaRecordProducer(kafka, createLogger('silent'));
    const results = await Promise.all([producer.send(record('a', '1')), producer.send(record('a', '2')), producer.send(record('b', '3'))]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect(results[0].response).toBe('acknowledged by a (partition 0, acks=all)');
    expect(state.sends.map((s) => [s.topic, s.acks, s.messages.map((m) => m.key)])).toEqual([
      ['a', -1, ['1', '2']],
      ['b', -1, ['3']],
    ]);
    expect(state.sends[0].messages[0]).toEqual({ key: '1', value: '{"k":"1"}', headers: { 'webhook-id': '1' } });
    expect(producer.stats).toMatchObject({ records: { acknowledged: 3, failed: 0 }, batches: 2, connected: true });
  });

  it('should fail every record of a refused batch, and connect afresh for the next', async () => {
    const { kafka, state } = fakeKafka();
    const producer = new KafkaRecordProducer(kafka, createLogger('silent'));
    state.failing = true;
    const failed = await Promise.all([producer.send(record('a', '1')), producer.send(record('a', '2'))]);
    expect(failed.map((r) => r.error)).toEqual([
      'Kafka: This server is not the leader for that topic-partition',
      'Kafka: This server is not the leader for that topic-partition',
    ]);
    state.failing = false;
    expect((await producer.send(record('a', '3'))).error).toBeUndefined();
    expect(state.created).toBe(2);
    expect(producer.stats.records).toEqual({ acknowledged: 1, failed: 2 });
  });

  it('should fail a batch the broker does not acknowledge within the timeout', async () => {
    const { kafka, state } = fakeKafka();
    state.hang = true;
    const producer = new KafkaRecordProducer(kafka, createLogger('silent'));
    const result = await producer.send(record('a', '1', 50));
    expect(result.error).toBe('Kafka: no acknowledgement within 50 ms');
  });
});
