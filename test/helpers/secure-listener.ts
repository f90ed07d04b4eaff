import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface SecureRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Header names as the client wrote them, with their values, in order. */
  rawHeaders: string[];
  body: string;
  /** The verified client certificate's subject CN, for an HTTPS listener that asks for one. */
  clientCn?: string;
}

/** Decides an answer: a status (and body), from the request. */
export type SecureResponder = (req: SecureRequest) => { status: number; body?: string; headers?: Record<string, string> } | Promise<{ status: number; body?: string; headers?: Record<string, string> }>;

/**
 * A listener on loopback for the credentials tests: plain HTTP, or HTTPS that may require a client
 * certificate signed by a CA it trusts (requestCert, rejectUnauthorized). It records what reached
 * it, answering as `responder` says (201 by default). Connections refused at the TLS handshake never
 * reach it.
 */
export class SecureListener {
  readonly requests: SecureRequest[] = [];
  responder: SecureResponder = () => ({ status: 201 });

  private constructor(
    private readonly server: http.Server | https.Server,
    readonly scheme: 'http' | 'https',
  ) {}

  static async start(tls?: https.ServerOptions): Promise<SecureListener> {
    let listener!: SecureListener;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void listener.handle(req, res);
    const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    listener = new SecureListener(server, tls ? 'https' : 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return listener;
  }

  url(path = '/listener'): string {
    return `${this.scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const socket = req.socket as TLSSocket;
    const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const received: SecureRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks).toString('utf8'),
      ...(peer?.subject?.CN ? { clientCn: String(peer.subject.CN) } : {}),
    };
    this.requests.push(received);
    const reply = await this.responder(received);
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body ?? '');
  }
}
