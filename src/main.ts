import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config';
import { CallbackGuard } from './delivery/callback-guard';
import { DeliveryWorker } from './delivery/delivery-worker';
import { RetentionSweeper } from './delivery/retention-sweeper';
import { WebhookClient } from './delivery/webhook-client';
import { createServices } from './hub/create-services';
import type { DeliveryNotifier } from './hub/delivery-notifier';
import { answerClientErrors } from './http/client-error';
import { createApp } from './http/create-app';
import { createLogger } from './logger';
import { HubMetrics } from './metrics/hub-metrics';
import { loadSeeds } from './seed/load-seeds';
import { readSeeds } from './seed/read-seeds';
import { seedUrls } from './seed/seed-urls';
import { createStores } from './store/create-stores';

/**
 * Composition root: configuration, store, services, HTTP and the delivery worker; and an orderly
 * shutdown on SIGTERM/SIGINT: stop accepting, let attempts in flight finish (bounded), release
 * leases, close the store.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
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
  // HUB_SEED: a malformed seed file stops the start, like bad configuration; loading waits for the port.
  const seeds = config.seed ? readSeeds() : undefined;
  const stores = await createStores(config, logger);

  // The services announce new deliveries to the delivery worker, which needs the services to handle 410.
  let worker: DeliveryWorker | undefined;
  let sweeper: RetentionSweeper | undefined;
  const notifier: DeliveryNotifier = { notify: () => worker?.notify() };
  const guard = new CallbackGuard({ policy: config.callbackPolicy, allow: config.callbackAllow });
  const services = createServices(stores, {
    listenerSuffix: config.listenerSuffix,
    notifier,
    callbacks: guard,
    stream: { pollMs: config.streamPollMs, heartbeatMs: config.streamHeartbeatMs },
    inboxLimit: config.inboxLimit,
  });
  const metrics = new HubMetrics({ feed: services.feed, deliveries: stores.deliveries, logger });
  const client = new WebhookClient({ guard });
  if (config.workerEnabled) {
    worker = new DeliveryWorker(
      {
        retrySchedule: config.retrySchedule,
        timeoutMs: config.deliveryTimeoutMs,
        retryAfterCapMs: config.retryAfterMaxMs,
        concurrency: config.deliveryConcurrency,
        perHubConcurrency: config.deliveryConcurrencyPerHub,
        pollMs: config.deliveryPollMs,
      },
      { store: stores.deliveries, client, removeGone: (d) => services.deliveries.removeGone(d), logger, observer: metrics },
    );
    worker.start();
    logger.info('delivery worker started', { owner: worker.owner, leaseMs: worker.leaseMs });
    if (config.deliveryRetentionMs > 0) {
      sweeper = new RetentionSweeper({ retentionMs: config.deliveryRetentionMs }, { store: stores.deliveries, logger });
      sweeper.start();
    }
  }
  const { app } = await createApp({ config, services, stores, logger, metrics });

  const server: Server = app.listen(config.port, config.host);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  logger.info('tmf688-hub listening', {
    port,
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/tmf-api/event/v4`,
    store: config.mongodbUrl ? 'mongodb' : 'memory',
    callbackPolicy: config.callbackPolicy,
    apiKeys: config.apiKeys.length ? 'required' : 'off',
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    server.closeIdleConnections();
    await worker?.stop(config.shutdownGraceMs);
    await sweeper?.stop();
    await client.close();
    await stores.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  if (seeds) {
    // A failure here (a refused callback, the store down) leaves a working hub without (all) the seeds.
    try {
      const result = await loadSeeds(services, seeds, seedUrls(config, port));
      logger.info('seeds loaded', { files: seeds.map((s) => s.file), ...result });
    } catch (err) {
      logger.error('seed loading failed; the hub runs without the rest of the seeds', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`tmf688-hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
