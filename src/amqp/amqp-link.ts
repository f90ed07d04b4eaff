import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { LazyConnection } from '../bridge/lazy-connection';
import type { BridgeLog } from '../bridge/source-reader';
import { redactSecrets } from '../bridge/redact';
import type { AmqpClientOptions } from './amqp-options';

/**
 * The bridge's one connection to RabbitMQ, opened at first use (a hub starts while RabbitMQ is
 * away) and opened again at the next use after it closed. Its confirm channel publishes; sources
 * open channels of their own; a channel that a refusal closed (an exchange not found) is replaced.
 */
export class AmqpLink {
  private readonly opening = new LazyConnection(() => this.open());
  private readonly confirming = new LazyConnection(() => this.openConfirmChannel());
  /** Why the confirm channel closed last (RabbitMQ says it in the channel's error). */
  lastChannelError: string | undefined;
  connected = false;
  /** Called when the connection closes (the sources stop reading until the next refresh). */
  onClose: (why: string) => void = () => undefined;
  /** Called with each message RabbitMQ returns as unroutable (mandatory publishes). */
  onReturn: (messageId: string | undefined) => void = () => undefined;

  constructor(
    private readonly options: AmqpClientOptions,
    private readonly logger: BridgeLog,
    private readonly secrets: readonly (string | undefined)[],
  ) {}

  /** An error's message with no credential in it. */
  describe(err: unknown): string {
    return redactSecrets(err instanceof Error ? err.message : String(err), this.secrets);
  }

  connection(): Promise<ChannelModel> {
    return this.opening.get();
  }

  confirmChannel(): Promise<ConfirmChannel> {
    return this.confirming.get();
  }

  private async openConfirmChannel(): Promise<ConfirmChannel> {
    const channel = await (await this.connection()).createConfirmChannel();
    const held = this.confirmChannel();
    channel.on('error', (err: Error) => (this.lastChannelError = this.describe(err)));
    channel.on('close', () => this.confirming.forget(held));
    channel.on('return', (msg: { properties: { messageId?: string } }) => this.onReturn(msg.properties.messageId));
    return channel;
  }

  /** A channel of its own (a consumer), closed by its user. */
  async channel(): Promise<Channel> {
    const channel = await (await this.connection()).createChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  /** Runs `use` on a channel that RabbitMQ may close with a refusal (a probe), closing it after. */
  async throwaway<T>(use: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.channel();
    try {
      return await use(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.confirming.forget();
    await this.opening.forget()?.then((model) => model.close()).catch(() => undefined);
  }

  /** The connection closed: the next use opens a new one, and a confirm channel on it. */
  private reset(opening: Promise<ChannelModel>): void {
    if (this.opening.forget(opening) === undefined) return;
    this.confirming.forget();
    this.connected = false;
  }

  private async open(): Promise<ChannelModel> {
    const model = await connect(this.options.url, { ...this.options.socket, timeout: 3000, clientProperties: { connection_name: 'tmf688-hub' } });
    this.connected = true;
    const opening = this.connection();
    model.on('error', (err: Error) => this.logger.warn('amqp: connection error', { error: this.describe(err) }));
    model.on('close', (err?: Error) => {
      this.reset(opening);
      const why = err ? this.describe(err) : 'closed';
      this.logger.warn('amqp: the connection closed; it opens again at the next use', { error: why });
      this.onClose(why);
    });
    return model;
  }
}
