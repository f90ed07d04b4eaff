import { amqpDestination, amqpQueueRefusal, amqpRecordHeaders, inequivalentArgument } from '../../src/amqp/amqp-names';
import { amqpClientOptions, describeAmqpOptions } from '../../src/amqp/amqp-options';

describe('amqp: callback destinations', () => {
  it.each<[string, unknown]>([
    ['orders/created', { exchange: 'orders', routingKey: 'created' }],
    ['amq.topic/network.alarms.#', { exchange: 'amq.topic', routingKey: 'network.alarms.#' }],
    ['fanout-x/', { exchange: 'fanout-x', routingKey: '' }],
    ['/orders.queue', { exchange: '', routingKey: 'orders.queue' }],
    ['x/a/b', { exchange: 'x', routingKey: 'a/b' }],
    ['no-slash', expect.stringMatching(/is not a RabbitMQ destination: amqp:<exchange>\/<routingKey>, or amqp:\/<queue>/)],
    ['/', 'amqp:/<queue>: the RabbitMQ queue name is empty'],
    ['/amq.gen', 'amqp:/<queue>: "amq.gen" is a RabbitMQ queue name reserved for the broker (amq.)'],
    ['bad name/rk', expect.stringMatching(/"bad name" is not a RabbitMQ exchange name/)],
    [`x/${'k'.repeat(256)}`, 'a RabbitMQ routing key has at most 255 bytes'],
  ])('should read %j', (name, expected) => {
    expect(amqpDestination(name)).toEqual(expected);
  });

  it.each<[string, string | undefined]>([
    ['alarms', undefined],
    ['', 'the RabbitMQ queue name is empty'],
    ['é'.repeat(128), 'a RabbitMQ queue name has at most 255 bytes, not 256'],
    ['amq.x', '"amq.x" is a RabbitMQ queue name reserved for the broker (amq.)'],
  ])('should judge the queue %j', (name, refusal) => {
    expect(amqpQueueRefusal(name)).toBe(refusal);
  });

  it('should carry the CloudEvents attributes with the AMQP binding prefix, and drop what only HTTP means', () => {
    expect(amqpRecordHeaders({ 'user-agent': 'tmf688-hub', 'webhook-id': 'd-1', 'ce-id': 'd-1', 'ce-type': 'T', 'content-type': 'application/json' })).toEqual({
      'webhook-id': 'd-1',
      cloudEvents_id: 'd-1',
      cloudEvents_type: 'T',
      'content-type': 'application/json',
    });
  });
});

describe("a queue's arguments from RabbitMQ's refusals", () => {
  const refusal = (detail: string) => `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg ${detail}"`;
  it.each<[string, unknown]>([
    [refusal("'x-dead-letter-exchange' for queue 'q' in vhost '/': received none but current is the value 'dlx' of type 'longstr'"), { name: 'x-dead-letter-exchange', value: 'dlx' }],
    [refusal("'x-dead-letter-exchange' for queue 'q' in vhost '/': received none but current is the value '' of type 'longstr'"), { name: 'x-dead-letter-exchange', value: '' }],
    [refusal("'x-message-ttl' for queue 'q' in vhost '/': received none but current is the value '1000' of type 'short'"), { name: 'x-message-ttl', value: 1000 }],
    [refusal("'x-single-active-consumer' for queue 'q' in vhost '/': received none but current is the value 'true' of type 'bool'"), { name: 'x-single-active-consumer', value: true }],
    [refusal("'durable' for queue 'q' in vhost '/': received 'true' but current is 'false'"), { name: 'durable', value: false }],
    ['NOT_FOUND - no queue', undefined],
  ])('should read %s', (message, expected) => {
    expect(inequivalentArgument(message)).toEqual(expected);
  });
});

describe('RabbitMQ client options from the configuration', () => {
  const noFile = () => {
    throw new Error('no file should be read');
  };
  it.each<[string, Record<string, unknown>, unknown]>([
    ['a plain URL', { amqpUrl: 'amqp://rabbit:5672/vh', amqpTls: false }, { url: 'amqp://rabbit:5672/vh', socket: {} }],
    ['the variables over the URL credentials', { amqpUrl: 'amqp://a:b@rabbit', amqpTls: false, amqpUsername: 'hub', amqpPassword: 'p@ss' }, { url: 'amqp://hub:p%40ss@rabbit', socket: {} }],
    ['TLS asked for', { amqpUrl: 'amqp://rabbit', amqpTls: true }, { url: 'amqps://rabbit', socket: {} }],
  ])('should build %s', (_case, config, expected) => {
    expect(amqpClientOptions(config as never, noFile)).toEqual(expected);
  });

  it('should read the CA file, and never describe the password', () => {
    const options = amqpClientOptions({ amqpUrl: 'amqps://hub:very-secret@rabbit', amqpTls: false, amqpTlsCaFile: '/ca.pem' }, (path) => `PEM of ${path}`);
    expect(options.socket).toEqual({ ca: ['PEM of /ca.pem'] });
    expect(describeAmqpOptions(options)).toEqual({ url: 'amqps://hub:***@rabbit', tls: true });
  });
});
