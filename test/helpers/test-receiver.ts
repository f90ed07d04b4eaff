import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow or hanging listener). */
  delayMs?: number;
}

/** Decides each answer; gets the request and how many requests came before it. */
export type Responder = (req: ReceivedRequest, index: number) => Reply;

/**
 * A real HTTP listener on 127.0.0.1:0 that records every request and answers as the test says.
 * The responder can be changed mid-test (a listener that comes back, or starts failing).
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  responder: Responder = () => ({ status: 201 });
  private server = http.createServer((req, res) => this.handle(req, res));
  private timers = new Set<NodeJS.Timeout>();

  static async start(responder?: Responder, port = 0): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    if (responder) receiver.responder = responder;
    await new Promise<void>((resolve) => receiver.server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/listener'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  requestsTo(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json, at: Date.now() };
      const index = this.requests.length;
      this.requests.push(received);
      const reply = this.responder(received, index);
      const send = () => {
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send();
        }, reply.delayMs);
        this.timers.add(timer);
      } else {
        send();
      }
    });
  }
}
