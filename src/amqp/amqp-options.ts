import type { BrokerConfig } from '../config/broker-config';
import { redactUrl } from '../bridge/redact';

/** What the hub connects to RabbitMQ with (typed here so this stays pure). */
export interface AmqpClientOptions {
  /** The URL, with the credentials of HUB_AMQP_USERNAME / HUB_AMQP_PASSWORD when they are set. */
  url: string;
  /** TLS socket options: the CA to trust (HUB_AMQP_TLS_CA). */
  socket: { ca?: string[] };
}

type AmqpConfig = Pick<BrokerConfig, 'amqpUrl' | 'amqpTls' | 'amqpTlsCaFile' | 'amqpUsername' | 'amqpPassword'>;

/** The options of a configuration with HUB_AMQP_URL set; HUB_AMQP_TLS turns amqp:// into amqps://. `readFile` reads the CA file. Pure but for it. */
export function amqpClientOptions(config: AmqpConfig, readFile: (path: string) => string): AmqpClientOptions {
  const url = new URL(config.amqpUrl ?? '');
  if (config.amqpUsername) {
    url.username = encodeURIComponent(config.amqpUsername);
    url.password = encodeURIComponent(config.amqpPassword ?? '');
  }
  let text = url.toString();
  if (config.amqpTls && text.startsWith('amqp:')) text = `amqps:${text.slice('amqp:'.length)}`;
  return { url: text.replace(/\/$/, ''), socket: config.amqpTlsCaFile ? { ca: [readFile(config.amqpTlsCaFile)] } : {} };
}

/** What may be logged of the options: the URL with its password as ***. */
export function describeAmqpOptions(options: AmqpClientOptions): Record<string, unknown> {
  return { url: redactUrl(options.url), tls: options.url.startsWith('amqps:') };
}
