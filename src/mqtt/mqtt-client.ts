import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { LazyConnection } from '../bridge/lazy-connection';
import type { BridgeLog } from '../bridge/source-reader';
import { redactSecrets } from '../bridge/redact';
import type { MqttClientOptions } from './mqtt-options';

/**
 * One MQTT 5 client of the bridge (the publisher, or the sources' persistent session), connected at
 * first use (a hub starts while the broker is away) and then kept: it reconnects by itself every
 * second. A client whose first connection failed is tried again at the next use.
 */
export class MqttLink {
  private readonly opening = new LazyConnection(() => this.open());

  constructor(
    private readonly options: MqttClientOptions,
    private readonly extra: IClientOptions,
    private readonly logger: BridgeLog,
    private readonly secrets: readonly (string | undefined)[],
    /** The client's name in log lines: `publisher`, `sources`. */
    private readonly role: string,
    /**
     * Prepares a new client before it connects: a resumed session's queued messages arrive right
     * behind the CONNACK, and must find the sources' handling already in place.
     */
    private readonly prepare: (client: MqttClient) => void = () => undefined,
  ) {}

  describe(err: unknown): string {
    return redactSecrets(err instanceof Error ? err.message : String(err), this.secrets);
  }

  get connected(): boolean {
    return this.current?.connected ?? false;
  }

  private current: MqttClient | undefined;

  client(): Promise<MqttClient> {
    return this.opening.get();
  }

  async close(): Promise<void> {
    this.current = undefined;
    await this.opening.forget()?.then((client) => client.endAsync()).catch(() => undefined);
  }

  private async open(): Promise<MqttClient> {
    const { url, ca, username, password } = this.options;
    const client = connect(url, { protocolVersion: 5, username, password, ...(ca ? { ca } : {}), connectTimeout: 3000, reconnectPeriod: 1000, keepalive: 30, ...this.extra });
    this.prepare(client);
    try {
      // The first connection is not retried here: the caller's next use tries again.
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.once('close', () => reject(new Error(`could not connect to ${this.options.url}`)));
      });
    } catch (err) {
      client.end(true);
      throw err;
    }
    this.current = client;
    client.on('offline', () => this.logger.warn(`mqtt ${this.role}: disconnected; reconnecting`));
    client.on('reconnect', () => this.logger.debug(`mqtt ${this.role}: reconnecting`));
    client.on('connect', () => this.logger.info(`mqtt ${this.role}: connected`));
    client.on('error', (err) => this.logger.warn(`mqtt ${this.role}: error`, { error: this.describe(err) }));
    return client;
  }
}
