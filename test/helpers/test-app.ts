import type OpenAPIBackend from 'openapi-backend';
import { loadConfig, type Config } from '../../src/config';
import { composeHub, type Hub } from '../../src/compose-hub';
import type { DeliveryWorkerConfig } from '../../src/delivery/delivery-worker';
import { createOpenApiBackend } from '../../src/http/create-openapi-backend';
import { createLogger, type Logger } from '../../src/logger';
import type { Stores } from '../../src/store/store-types';
import { contractClient, type ContractClient } from './contract-client';
import { createTestStores } from './test-stores';

export const API = '/tmf-api/event/v4';

export interface TestApp extends Omit<Hub, 'stop' | 'start'> {
  client: ContractClient;
  /** Stops the worker (if any) and closes its HTTP client; the stores stay for the file's cleanup. */
  stop(): Promise<void>;
}

/** A worker that retries within milliseconds, so tests never wait on the production schedule. */
export const FAST_WORKER: DeliveryWorkerConfig = {
  retrySchedule: [50, 50],
  timeoutMs: 1000,
  retryAfterCapMs: 1000,
  concurrency: 16,
  perHubConcurrency: 2,
  pollMs: 25,
};

/** The production defaults, with what tests need smaller: bodies, stream polling, and no worker unless asked. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    maxBodyBytes: 64 * 1024,
    streamPollMs: 50,
    workerEnabled: false,
    logLevel: 'silent',
    ...overrides,
  };
}

/** The worker's settings as configuration. */
function workerConfig(worker: Partial<DeliveryWorkerConfig>): Partial<Config> {
  const w = { ...FAST_WORKER, ...worker };
  return {
    workerEnabled: true,
    retrySchedule: [...w.retrySchedule],
    deliveryTimeoutMs: w.timeoutMs,
    retryAfterMaxMs: w.retryAfterCapMs,
    deliveryConcurrency: w.concurrency,
    deliveryConcurrencyPerHub: w.perHubConcurrency,
    deliveryPollMs: w.pollMs,
  };
}

/** Backends by HUB_LIST_MAX_LIMIT: building one compiles every schema (about a second), so apps share them. */
const sharedApis = new Map<number, Promise<OpenAPIBackend>>();

export function sharedApi(listMaxLimit: number): Promise<OpenAPIBackend> {
  let api = sharedApis.get(listMaxLimit);
  if (!api) sharedApis.set(listMaxLimit, (api = createOpenApiBackend({ listMaxLimit })));
  return api;
}

/**
 * A fresh hub, built by the production composition root, on fresh stores of the configured kind (or
 * the given stores), with a client that checks every response against the contract.
 */
export async function buildTestApp(
  overrides: {
    config?: Partial<Config>;
    stores?: Stores;
    logger?: Logger;
    /** Run a delivery worker with these settings (FAST_WORKER overridden). */
    worker?: Partial<DeliveryWorkerConfig>;
    listenerSuffix?: boolean;
    /** Live stream timing (default: poll every 50 ms, heartbeat every 15 s). */
    stream?: { pollMs?: number; heartbeatMs?: number };
    /** Entries kept per mock inbox (default 1000). */
    inboxLimit?: number;
  } = {},
): Promise<TestApp> {
  const config = testConfig({
    ...(overrides.worker ? workerConfig(overrides.worker) : {}),
    ...(overrides.listenerSuffix !== undefined ? { listenerSuffix: overrides.listenerSuffix } : {}),
    ...(overrides.stream?.pollMs !== undefined ? { streamPollMs: overrides.stream.pollMs } : {}),
    ...(overrides.stream?.heartbeatMs !== undefined ? { streamHeartbeatMs: overrides.stream.heartbeatMs } : {}),
    ...(overrides.inboxLimit !== undefined ? { inboxLimit: overrides.inboxLimit } : {}),
    ...overrides.config,
  });
  const hub = await composeHub({
    config,
    logger: overrides.logger ?? createLogger('silent'),
    stores: overrides.stores ?? (await createTestStores()).stores,
    api: await sharedApi(config.listMaxLimit),
  });
  hub.start();
  const { start: _start, stop, ...rest } = hub;
  return { ...rest, client: contractClient(hub), stop: () => stop(2000) };
}
