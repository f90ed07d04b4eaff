import type http from 'node:http';
import WebSocket from 'ws';
import type { ClientTls } from './http-call';
import { pollUntil } from './poll';

export interface WsConnection {
  ws: WebSocket;
  /** The subprotocol the hub selected ('' when none). */
  protocol: string;
  /** The headers of the hub's 101 answer. */
  headers: http.IncomingHttpHeaders;
  /** Text frames in arrival order. */
  frames: string[];
  json: any[];
  pings: number;
  /** Resolves with the close code and reason, whoever closed. */
  closed: Promise<{ code: number; reason: string }>;
  waitForFrames(count: number, timeoutMs?: number): Promise<any[]>;
  close(): void;
}

/** An upgrade the hub refused: an ordinary HTTP answer. */
export interface RefusedUpgrade {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface WsOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  /** For a wss:// hub: the CA to trust, and a client certificate. */
  tls?: ClientTls;
  /** False: a client that answers no ping (ws answers each one by default). */
  autoPong?: boolean;
}

/** Opens a WebSocket (the `ws` client); rejects with a RefusedUpgrade when the hub answers the upgrade with an HTTP error. */
export function openWs(url: string, options: WsOptions = {}): Promise<WsConnection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), options.protocols ?? [], { headers: options.headers, autoPong: options.autoPong ?? true, ...options.tls });
    const conn: WsConnection = {
      ws,
      protocol: '',
      headers: {},
      frames: [],
      json: [],
      pings: 0,
      closed: new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString('utf8') }))),
      waitForFrames: (count, timeoutMs = 5000) =>
        pollUntil(async () => (conn.json.length >= count ? conn.json.slice(0, count) : undefined), timeoutMs, `${count} WebSocket frames`, 10),
      close: () => ws.close(),
    };
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString('utf8');
      conn.frames.push(text);
      conn.json.push(JSON.parse(text));
    });
    ws.on('ping', () => conn.pings++);
    ws.once('upgrade', (res) => (conn.headers = res.headers));
    ws.once('open', () => {
      conn.protocol = ws.protocol;
      resolve(conn);
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        let parsed: unknown = body;
        try {
          parsed = JSON.parse(body);
        } catch {
          // kept as text
        }
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { refused: { status: res.statusCode ?? 0, headers: res.headers, body: parsed } }));
      });
    });
    ws.once('error', (err) => reject(err));
  });
}

/** The HTTP answer of an upgrade that must be refused; fails the test if the socket opens. */
export async function refusedUpgrade(url: string, options: WsOptions = {}): Promise<RefusedUpgrade> {
  try {
    const conn = await openWs(url, options);
    conn.close();
  } catch (err) {
    const refused = (err as { refused?: RefusedUpgrade }).refused;
    if (refused) return refused;
    throw err;
  }
  throw new Error('the upgrade was accepted');
}
