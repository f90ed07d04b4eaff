import type { BrokerConfig } from '../config/broker-config';
import { redactUrl } from '../bridge/redact';

/** The connection settings the hub's configuration gives NATS (a subset of the client's ConnectionOptions, typed here so this stays pure). */
export interface NatsClientOptions {
  /** The server URLs without credentials. */
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  tls?: { caFile?: string };
}

type NatsConfig = Pick<BrokerConfig, 'natsUrl' | 'natsTls' | 'natsTlsCaFile' | 'natsUsername' | 'natsPassword'>;

/**
 * The client options of a configuration with HUB_NATS_URL set: credentials from the URL
 * (`user:password@` or a `token@`) unless HUB_NATS_USERNAME / HUB_NATS_PASSWORD give them, the URLs
 * themselves without. TLS when asked for, or when a URL is tls://. Pure.
 */
export function natsClientOptions(config: NatsConfig): NatsClientOptions {
  const options: NatsClientOptions = { servers: [] };
  for (const part of (config.natsUrl ?? '').split(',').filter(Boolean)) {
    const url = new URL(part);
    if (url.username && url.password) {
      options.user ??= decodeURIComponent(url.username);
      options.pass ??= decodeURIComponent(url.password);
    } else if (url.username) options.token ??= decodeURIComponent(url.username);
    options.servers.push(`${url.protocol}//${url.host}`);
  }
  if (config.natsUsername) {
    options.user = config.natsUsername;
    options.pass = config.natsPassword;
    delete options.token;
  }
  if (config.natsTls || options.servers.some((s) => s.startsWith('tls:'))) options.tls = config.natsTlsCaFile ? { caFile: config.natsTlsCaFile } : {};
  return options;
}

/** What may be logged of the options: never the password or token. */
export function describeNatsOptions(options: NatsClientOptions): Record<string, unknown> {
  return {
    servers: redactUrl(options.servers.join(',')),
    tls: options.tls !== undefined,
    ...(options.user ? { user: options.user } : {}),
    ...(options.token ? { token: '***' } : {}),
  };
}
