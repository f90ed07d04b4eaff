import type { AmqpLink } from '../../src/amqp/amqp-link';
import { AmqpProducer, KNOWN_DESTINATIONS_MAX } from '../../src/amqp/amqp-producer';

/**
 * The producer's checks before a publish, against a link that stands in for RabbitMQ: what is
 * checked, when a check runs again, and that what it remembers is bounded.
 */
class FakeLink {
  readonly onReturn: (messageId: string | undefined) => void = () => undefined;
  lastChannelError: string | undefined;
  /** The names checked or declared on throwaway channels, in order. */
  readonly checks: string[] = [];
  readonly missing = new Set<string>();
  /** What the confirm channel answers to the next publishes (undefined: confirmed). */
  readonly confirmErrors: Array<Error | undefined> = [];

  describe(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  async throwaway<T>(use: (channel: unknown) => Promise<T>): Promise<T> {
    const probe = async (kind: string, name: string) => {
      this.checks.push(`${kind}:${name}`);
      if (this.missing.has(name)) throw new Error(`NOT_FOUND - no ${kind} '${name}'`);
      return {};
    };
    return use({
      checkQueue: (name: string) => probe('checkQueue', name),
      // Declaring creates the queue.
      assertQueue: (name: string) => (this.missing.delete(name), probe('assertQueue', name)),
      checkExchange: (name: string) => probe('checkExchange', name),
    });
  }

  async confirmChannel(): Promise<unknown> {
    return {
      publish: (_exchange: string, _key: string, _body: Buffer, _options: unknown, confirmed: (err: unknown) => void) => {
        const err = this.confirmErrors.shift();
        queueMicrotask(() => confirmed(err ?? null));
      },
    };
  }
}

const record = (topic: string, id = 'd-1') => ({ topic, value: '{}', headers: { 'webhook-id': id, 'content-type': 'application/json' } });

describe('amqp producer: the checks before a publish', () => {
  let link: FakeLink;
  let producer: AmqpProducer;
  beforeEach(() => {
    link = new FakeLink();
    producer = new AmqpProducer(link as unknown as AmqpLink);
  });

  it('should check an exchange once while it holds, and never declare one', async () => {
    for (let i = 0; i < 3; i++) expect(await producer.publish(record('orders/created', `d-${i}`))).toBe('confirmed by RabbitMQ: exchange orders (routing key created), persistent');
    expect(link.checks).toEqual(['checkExchange:orders']);
  });

  it('should declare a queue that does not exist, once', async () => {
    link.missing.add('alarms');
    await producer.publish(record('/alarms'));
    await producer.publish(record('/alarms', 'd-2'));
    expect(link.checks).toEqual(['checkQueue:alarms', 'assertQueue:alarms']);
  });

  it('should fail with RabbitMQ\'s refusal when the exchange is missing, and check again at the next publish', async () => {
    link.missing.add('gone-x');
    await expect(producer.publish(record('gone-x/k'))).rejects.toThrow("NOT_FOUND - no checkExchange 'gone-x'");
    await expect(producer.publish(record('gone-x/k', 'd-2'))).rejects.toThrow('NOT_FOUND');
    link.missing.delete('gone-x');
    await producer.publish(record('gone-x/k', 'd-3'));
    expect(link.checks).toEqual(['checkExchange:gone-x', 'checkExchange:gone-x', 'checkExchange:gone-x']);
  });

  it('should check again after a publish the confirm channel refused (the exchange deleted since)', async () => {
    await producer.publish(record('orders/created'));
    link.confirmErrors.push(new Error('channel closed'));
    link.lastChannelError = "404 (NOT-FOUND) no exchange 'orders'";
    await expect(producer.publish(record('orders/created', 'd-2'))).rejects.toThrow("404 (NOT-FOUND) no exchange 'orders'");
    await producer.publish(record('orders/created', 'd-3'));
    expect(link.checks).toEqual(['checkExchange:orders', 'checkExchange:orders']);
  });

  it('should keep a queue and an exchange of the same name apart', async () => {
    await producer.publish(record('/same'));
    await producer.publish(record('same/k'));
    expect(link.checks).toEqual(['checkQueue:same', 'checkExchange:same']);
  });

  it(`should remember at most ${KNOWN_DESTINATIONS_MAX} destinations, forgetting the oldest first`, async () => {
    for (let i = 0; i <= KNOWN_DESTINATIONS_MAX; i++) await producer.publish(record(`x${i}/k`));
    expect(link.checks).toHaveLength(KNOWN_DESTINATIONS_MAX + 1);
    // The newest is still known; the oldest was forgotten and is checked again.
    await producer.publish(record(`x${KNOWN_DESTINATIONS_MAX}/k`));
    expect(link.checks).toHaveLength(KNOWN_DESTINATIONS_MAX + 1);
    await producer.publish(record('x0/k'));
    expect(link.checks.at(-1)).toBe('checkExchange:x0');
    expect(link.checks).toHaveLength(KNOWN_DESTINATIONS_MAX + 2);
  });
});
