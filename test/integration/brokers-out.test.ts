import { amqpKit } from '../helpers/amqp-kit';
import { mqttKit } from '../helpers/mqtt-kit';
import { natsKit } from '../helpers/nats-kit';
import { deliverAcrossOutage } from '../helpers/broker-suites';
import { itWithServer } from '../helpers/broker-test';

// Each broker's outage test runs beside the others' (each has a server of its own): their 20 s outages overlap.
describe('broker callbacks across a broker outage (NATS, RabbitMQ, MQTT)', () => {
  for (const kit of [natsKit, amqpKit, mqttKit]) {
    itWithServer(
      kit.variable,
      kit.script,
      `should deliver all of 1,000 events to ${kit.key}: across a 20 s stop and restart of the broker, none dead${kit.dedupes ? ', none duplicated (the broker drops republished ids)' : ', at least once'}`,
      () => deliverAcrossOutage(kit),
      300_000,
    );
  }
});
