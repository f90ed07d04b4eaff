import type { Config } from '../../src/config';
import { CallbackGuard } from '../../src/delivery/callback-guard';
import { DeliveryWorker, type DeliveryWorkerConfig } from '../../src/delivery/delivery-worker';
import { WebhookClient } from '../../src/delivery/webhook-client';
import { createServices, type Services } from '../../src/hub/create-services';
import type OpenAPIBackend from 'openapi-backend';
import { createApp, type HubApp } from '../../src/http/create-app';
import { createOpenApiBackend } from '../../src/http/create-openapi-backend';
import { createLogger, type Logger } from '../../src/logger';
import { HubMetrics } from '../../src/metrics/hub-metrics';
import type { Stores } from '../../src/store/store-types';
import { contractClient, type ContractClient } from './contract-client';
import { createTestStores } from './test-stores';

export const API = '/tmf-api/event/v4';

export interface TestApp extends HubApp {
  stores: Stores;
  services: Services;
  client: ContractClient;
  /** Present when built with a worker. */
  worker?: DeliveryWorker;
  /** Stops the worker (if any) and closes its HTTP client. */
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

export const TEST_CONFIG: Pick<Config, 'publicUrl' | 'maxBodyBytes' | 'listDefaultLimit' | 'listMaxLimit' | 'apiKeys'> = {
  publicUrl: undefined,
  maxBodyBytes: 64 * 1024,
  listDefaultLimit: 100,
  listMaxLimit: 1000,
  apiKeys: [],
};

/** Backends by HUB_LIST_MAX_LIMIT: building one compiles every schema (about a second), so apps share them. */
const sharedApis = new Map<number, Promise<OpenAPIBackend>>();

function sharedApi(listMaxLimit: number): Promise<OpenAPIBackend> {
  let api = sharedApis.get(listMaxLimit);
  if (!api) sharedApis.set(listMaxLimit, (api = createOpenApiBackend({ listMaxLimit })));
  return api;
}

/** A fresh hub on fresh stores of the configured kind (or the given stores), with a client that checks every response against the contract. */
export async function buildTestApp(
  overrides: {
    config?: Partial<typeof TEST_CONFIG>;
    stores?: Stores;
    logger?: Logger;
    /** Run a delivery worker with these settings (FAST_WORKER overridden). */
    worker?: Partial<DeliveryWorkerConfig>;
    listenerSuffix?: boolean;
    /** Callback policy for hub creation and delivery (default: private networks allowed). */
    callbackGuard?: CallbackGuard;
    /** Live stream timing (default: poll every 50 ms, heartbeat every 15 s). */
    stream?: { pollMs?: number; heartbeatMs?: number };
    /** Entries kept per mock inbox (default 1000). */
    inboxLimit?: number;
  } = {},
): Promise<TestApp> {
  const stores = overrides.stores ?? (await createTestStores()).stores;
  const logger = overrides.logger ?? createLogger('silent');
  let worker: DeliveryWorker | undefined;
  const guard = overrides.callbackGuard ?? new CallbackGuard({ policy: 'private-allowed', allow: [] });
  const services = createServices(stores, {
    listenerSuffix: overrides.listenerSuffix,
    notifier: { notify: () => worker?.notify() },
    callbacks: guard,
    stream: { pollMs: 50, heartbeatMs: 15_000, ...overrides.stream },
    inboxLimit: overrides.inboxLimit,
  });
  const metrics = new HubMetrics({ feed: services.feed, deliveries: stores.deliveries, logger });
  const webhookClient = new WebhookClient({ guard });
  if (overrides.worker) {
    worker = new DeliveryWorker(
      { ...FAST_WORKER, ...overrides.worker },
      { store: stores.deliveries, client: webhookClient, removeGone: (d) => services.deliveries.removeGone(d), logger, observer: metrics },
    );
    worker.start();
  }
  const config = { ...TEST_CONFIG, ...overrides.config };
  const hub = await createApp({
    config,
    services,
    stores,
    logger,
    api: await sharedApi(config.listMaxLimit),
    metrics,
  });
  const stop = async () => {
    await worker?.stop(2000);
    await webhookClient.close();
  };
  return { ...hub, stores, services, client: contractClient(hub), worker, stop };
}
