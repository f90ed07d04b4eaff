import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config';
import { createServices } from './hub/create-services';
import { createApp } from './http/create-app';
import { createLogger } from './logger';
import { createStores } from './store/create-stores';

/** Composition root: configuration, store, services, HTTP; and an orderly shutdown on SIGTERM/SIGINT. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const stores = await createStores(config, logger);
  const services = createServices(stores);
  const { app } = await createApp({ config, services, stores, logger });

  const server: Server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  logger.info('tmf688-hub listening', {
    port,
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/tmf-api/event/v4`,
    store: config.mongodbUrl ? 'mongodb' : 'memory',
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stores.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`tmf688-hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
