import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Config } from '../config';

export type TlsConfig = Pick<Config, 'tlsCert' | 'tlsKey' | 'tlsClientCa' | 'tlsClientCert'>;

/** A TLS setting that cannot be used (a file that is not PEM, a key that does not match): the message names the variables. */
export class TlsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsConfigError';
  }
}

/**
 * The HTTPS server's options, or undefined to serve plain HTTP (no HUB_TLS_CERT). With
 * HUB_TLS_CLIENT_CA the server asks every client for a certificate and verifies it against those
 * CAs; HUB_TLS_CLIENT_CERT=required then refuses a client without a verified one at the handshake,
 * while optional (the default) lets it in to use a key or token instead (the socket's `authorized`
 * says whether its certificate was verified). The files are read and checked now, so a start with
 * unusable ones stops here.
 */
export function tlsServerOptions(config: TlsConfig): ServerOptions | undefined {
  if (!config.tlsCert || !config.tlsKey) return undefined;
  const options: ServerOptions = { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) };
  try {
    createSecureContext({ cert: options.cert, key: options.key });
  } catch (err) {
    throw new TlsConfigError(`HUB_TLS_CERT (${config.tlsCert}) and HUB_TLS_KEY (${config.tlsKey}) cannot be used: ${(err as Error).message}`);
  }
  if (!config.tlsClientCa) return options;
  const ca = readFileSync(config.tlsClientCa);
  try {
    // A secure context takes a file without any certificate in silence (and then trusts none): read the first.
    new X509Certificate(ca);
  } catch (err) {
    throw new TlsConfigError(`HUB_TLS_CLIENT_CA (${config.tlsClientCa}) cannot be used: ${(err as Error).message}`);
  }
  return { ...options, ca, requestCert: true, rejectUnauthorized: config.tlsClientCert === 'required' };
}
