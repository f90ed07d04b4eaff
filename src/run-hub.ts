import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { ClientsFileError } from './access/clients-file';
import { createAccess, type Access } from './access/create-access';
import { openAccessWarning } from './access/open-access-warning';
import type { Config } from './config';
import { composeHub } from './compose-hub';
import { answerClientErrors } from './http/client-error';
import { listeningBaseUrl } from './http/hub-base-url';
import { TlsConfigError, tlsServerOptions } from './http/tls-options';
import { createLogger } from './logger';
import { loadSeeds } from './seed/load-seeds';
import { readSeeds } from './seed/read-seeds';
import { seedUrls } from './seed/seed-urls';
import { superviseProcesses, supervises } from './supervisor';
import { givenV8PoolSize, NODE_V8_POOL_SIZE } from './v8-pool';

/**
 * One hub process, once main (src/main.ts) has read the configuration: access and TLS, the hub
 * (src/compose-hub.ts), listening; and an orderly shutdown on SIGTERM/SIGINT: stop accepting, let
 * attempts in flight finish (bounded), release leases, close the store. `nodeArgs` (the heap limit and
 * V8 pool size main chose) go to the processes HUB_PROCESSES forks.
 */
export async function runHub(config: Config, env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<void> {
  const logger = createLogger(config.logLevel);
  // Like bad configuration, a bad clients file or unusable TLS files stop the start, before any process is forked.
  let access: Access;
  let tls: ReturnType<typeof tlsServerOptions>;
  try {
    access = await createAccess(config, (problem) => logger.warn(problem));
    tls = tlsServerOptions(config);
  } catch (err) {
    if (err instanceof ClientsFileError || err instanceof TlsConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Once per hub: by the primary of HUB_PROCESSES, not again by each process it forks.
  const openWarning = openAccessWarning(config.host, access.open);
  if (openWarning && !cluster.isWorker) logger.warn(openWarning);
  // HUB_PROCESSES > 1: this process only supervises; the hub processes it forks run the code below.
  if (supervises(config.processes)) {
    superviseProcesses({ processes: config.processes, env, execArgv: [...process.execArgv, ...nodeArgs], seed: config.seed, stopTimeoutMs: config.shutdownGraceMs + 10_000, logger });
    return;
  }
  // HUB_SEED: a malformed seed file stops the start, like bad configuration; loading waits for the port.
  const seeds = config.seed ? readSeeds() : undefined;
  const hub = await composeHub({ config, logger, access });
  hub.start();

  // HTTPS (and client certificates) with HUB_TLS_CERT; the WebSocket stream upgrades on either.
  const server: Server | HttpsServer = tls ? createHttpsServer(tls, hub.app.callback()) : createServer(hub.app.callback());
  server.listen(config.port, config.host);
  answerClientErrors(server);
  hub.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Before the line that says the hub listens: whoever reads it and stops the hub at once stops it in order.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    server.closeIdleConnections();
    await hub.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Started by a parent over IPC (the heap-limit relaunch, src/heap-relaunch.ts): when that parent
  // is gone, so is whoever supervised this process, which then stops rather than run on unseen.
  if (process.channel && !cluster.isWorker) process.once('disconnect', () => void stop('parent exited'));

  const { port } = server.address() as AddressInfo;
  logger.info('tmf688-hub listening', {
    port,
    pid: process.pid,
    url: listeningBaseUrl({ host: config.host, port, tlsCert: config.tlsCert }),
    store: config.mongodbUrl ? 'mongodb' : 'memory',
    callbackPolicy: config.callbackPolicy,
    access: access.open ? 'open' : 'on',
    clientCertificates: tls?.requestCert ? (tls.rejectUnauthorized ? 'required' : 'optional') : 'off',
    heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    v8PoolSize: givenV8PoolSize(process.execArgv, env.NODE_OPTIONS) ?? NODE_V8_POOL_SIZE,
  });


  if (seeds) {
    // A failure here (a refused callback, the store down) leaves a working hub without (all) the seeds.
    try {
      const result = await loadSeeds(hub.services, seeds, seedUrls(config, port));
      logger.info('seeds loaded', { files: seeds.map((s) => s.file), ...result });
    } catch (err) {
      logger.error('seed loading failed; the hub runs without the rest of the seeds', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
