import { connect, Events, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { LazyConnection } from '../bridge/lazy-connection';
import type { BridgeLog } from '../bridge/source-reader';
import { redactSecrets } from '../bridge/redact';
import type { NatsClientOptions } from './nats-options';

export interface JetStream {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/**
 * The one NATS connection of the bridge, opened at first use (a hub starts while NATS is away) and
 * then kept: the client reconnects by itself, forever, and says so. While it is away, publishes
 * time out and are retried on the hub's schedule. A connection that closes for good is opened again
 * at the next use.
 */
export class NatsLink {
  private readonly opening = new LazyConnection(() => this.open());
  connected = false;
  /** Called when the connection comes back after it was lost (the sources follow again). */
  onReconnect: () => void = () => undefined;

  constructor(
    private readonly options: NatsClientOptions,
    private readonly logger: BridgeLog,
    private readonly secrets: readonly (string | undefined)[],
  ) {}

  /** An error's message with no credential in it. */
  describe(err: unknown): string {
    return redactSecrets(err instanceof Error ? err.message : String(err), this.secrets);
  }

  jetStream(): Promise<JetStream> {
    return this.opening.get();
  }

  async close(): Promise<void> {
    await this.opening.forget()?.then(({ nc }) => nc.drain().catch(() => nc.close())).catch(() => undefined);
  }

  private async open(): Promise<JetStream> {
    const nc = await connect({
      ...this.options,
      name: 'tmf688-hub',
      timeout: 3000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    this.connected = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === Events.Disconnect) {
          this.connected = false;
          this.logger.warn('nats: disconnected; reconnecting', { server: String(status.data) });
        } else if (status.type === Events.Reconnect) {
          this.connected = true;
          this.logger.info('nats: reconnected', { server: String(status.data) });
          this.onReconnect();
        }
      }
    })();
    void nc.closed().then((err) => {
      this.connected = false;
      if (err) this.logger.warn('nats: the connection closed', { error: this.describe(err) });
      this.opening.forget();
    });
    return { nc, js: nc.jetstream(), jsm: await nc.jetstreamManager() };
  }
}
