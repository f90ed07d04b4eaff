import type { Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { WebSocketStreams } from '../../src/http/websocket-stream';

export interface Listening {
  server: Server | HttpsServer;
  /** e.g. http://127.0.0.1:41234, http://[::1]:41234 (https with `tls`) */
  origin: string;
  port: number;
  /** The WebSocket streams, when a hub was given to attach. */
  streams?: WebSocketStreams;
  /** Closes open connections (streams included) and the server. */
  close(): Promise<void>;
}

/**
 * Serves the app on a free loopback port, for tests that need a real socket (streams, a browser,
 * self-delivery); with a hub, attached as main attaches it (the WebSocket stream). `host` '::1'
 * listens on the IPv6 loopback. With `tls` (tlsServerOptions, as main makes them) it serves HTTPS.
 */
export async function listenOnLoopback(
  app: Koa,
  hub?: { attach(server: Server | HttpsServer): WebSocketStreams | undefined },
  host: '127.0.0.1' | '::1' = '127.0.0.1',
  tls?: ServerOptions,
): Promise<Listening> {
  const server = tls ? createHttpsServer(tls, app.callback()).listen(0, host) : app.listen(0, host);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const streams = hub?.attach(server);
  return {
    server,
    origin: `${tls ? 'https' : 'http'}://${host === '::1' ? '[::1]' : host}:${port}`,
    port,
    streams,
    close: async () => {
      await streams?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
