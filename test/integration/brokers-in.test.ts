import { amqpKit } from '../helpers/amqp-kit';
import { mqttKit } from '../helpers/mqtt-kit';
import { natsKit } from '../helpers/nats-kit';
import { readSourceAcrossKill, readSourceInProcess } from '../helpers/broker-suites';
import { itWithServer } from '../helpers/broker-test';
import { TestReceiver } from '../helpers/test-receiver';
import { MONGODB_URL } from '../helpers/test-stores';

/** A receiver of the test's own (the tests of the brokers run concurrently). */
async function withReceiver(use: (receiver: TestReceiver) => Promise<void>): Promise<void> {
  const receiver = await TestReceiver.start();
  try {
    await use(receiver);
  } finally {
    await receiver.close();
  }
}

// The embedded store dies with its process, so there the test is in-process; on MongoDB, real processes are killed.
describe('topic sources read from NATS, RabbitMQ and MQTT', () => {
  for (const kit of [natsKit, amqpKit, mqttKit]) {
    if (MONGODB_URL) {
      itWithServer(
        kit.variable,
        kit.script,
        `should store exactly 1,000 events and make 1,000 distinct deliveries from ${kit.key} when the hub process is killed (SIGKILL) in the middle and started again`,
        (address) => withReceiver((receiver) => readSourceAcrossKill(kit, address, receiver)),
        240_000,
      );
    } else {
      itWithServer(
        kit.variable,
        kit.script,
        `should publish 1,000 ${kit.key} records as 1,000 events fanned out once each and dead-letter the malformed ones${kit.rereadConfig ? ', a full re-read all duplicates' : ''}`,
        (address) => withReceiver((receiver) => readSourceInProcess(kit, address, receiver)),
        180_000,
      );
    }
  }
});
