import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface Listening {
  server: Server;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  port: number;
  /** Closes open connections (streams included) and the server. */
  close(): Promise<void>;
}

/** Serves the app on a free loopback port, for tests that need a real socket (streams, a browser, self-delivery). */
export async function listenOnLoopback(app: Koa): Promise<Listening> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
