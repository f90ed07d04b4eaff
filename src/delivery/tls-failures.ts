import { buildConnector } from 'undici';

/** Connections whose TLS failure is remembered at most, until an attempt asks for it. */
const MAX_REMEMBERED = 1000;

/**
 * Why a TLS connection failed, for the attempt that used it. With TLS 1.3 a listener checks the
 * client certificate after the handshake: its alert (certificate required, unknown CA) reaches the
 * connection's socket, but the HTTP client then reports only "other side closed". Each connection
 * made through `connector` remembers its TLS error, by local address and port (the client's socket
 * error names them), so the attempt can record the real reason.
 */
export class TlsFailures {
  private readonly byConnection = new Map<string, string>();

  /** undici's connector with these options, remembering each connection's TLS error. */
  connector(options: buildConnector.BuildOptions): buildConnector.connector {
    const connect = buildConnector(options);
    return (connectOptions, callback) =>
      connect(connectOptions, (err, socket) => {
        if (socket && connectOptions.protocol === 'https:') {
          const key = `${socket.localAddress}:${socket.localPort}`;
          socket.prependListener('error', (error: NodeJS.ErrnoException) => {
            if (!TLS_CODE.test(error.code ?? '')) return;
            if (this.byConnection.size >= MAX_REMEMBERED) this.byConnection.delete(this.byConnection.keys().next().value as string);
            this.byConnection.set(key, `${reasonOf(error.message)} (${error.code})`);
          });
        }
        // A connect that failed hands over its own error; the socket only when it succeeded.
        if (err) callback(err, null);
        else callback(null, socket!);
      });
  }

  /** The TLS failure of the connection an HTTP client error names (its `socket` info), taken once. */
  take(err: unknown): string | undefined {
    const socket = (err as { socket?: { localAddress?: string; localPort?: number } } | undefined)?.socket;
    if (!socket?.localPort) return undefined;
    const key = `${socket.localAddress}:${socket.localPort}`;
    const failure = this.byConnection.get(key);
    this.byConnection.delete(key);
    return failure;
  }
}

/**
 * Why a request sent with a client certificate got no answer, when its connection was closed
 * without a TLS alert: a Node listener (and some gateways) that does not accept the certificate
 * just closes the connection after the handshake, so the client sees only "other side closed".
 * Undefined for any other error.
 */
export function unansweredWithCertificate(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code === 'UND_ERR_SOCKET' && /other side closed/.test(e.message ?? '')
    ? 'the listener closed the connection without answering a request sent with the client certificate (a listener that refuses a certificate may send no TLS alert)'
    : undefined;
}

/** Error codes of a TLS handshake that failed: OpenSSL's alerts, and certificate verification. */
export const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|HOSTNAME_MISMATCH)/;

/** What an OpenSSL message says ("tlsv13 alert certificate required"), without its codes and source locations. */
export function reasonOf(message: string): string {
  return /routines:[^:]*:([^:\n]+)/.exec(message)?.[1].trim() ?? message.split('\n')[0].trim();
}
