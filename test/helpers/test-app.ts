import type { Config } from '../../src/config';
import { createServices, type Services } from '../../src/hub/create-services';
import type OpenAPIBackend from 'openapi-backend';
import { createApp, type HubApp } from '../../src/http/create-app';
import { createOpenApiBackend } from '../../src/http/create-openapi-backend';
import { createLogger, type Logger } from '../../src/logger';
import type { Stores } from '../../src/store/store-types';
import { contractClient, type ContractClient } from './contract-client';
import { createTestStores } from './test-stores';

export const API = '/tmf-api/event/v4';

export interface TestApp extends HubApp {
  stores: Stores;
  services: Services;
  client: ContractClient;
}

export const TEST_CONFIG: Pick<Config, 'publicUrl' | 'maxBodyBytes' | 'listDefaultLimit' | 'listMaxLimit'> = {
  publicUrl: undefined,
  maxBodyBytes: 64 * 1024,
  listDefaultLimit: 100,
  listMaxLimit: 1000,
};

let sharedApi: Promise<OpenAPIBackend> | undefined;

/** A fresh hub on fresh stores of the configured kind (or the given stores), with a client that checks every response against the contract. */
export async function buildTestApp(
  overrides: { config?: Partial<typeof TEST_CONFIG>; stores?: Stores; logger?: Logger } = {},
): Promise<TestApp> {
  const stores = overrides.stores ?? (await createTestStores()).stores;
  const services = createServices(stores);
  const hub = await createApp({
    config: { ...TEST_CONFIG, ...overrides.config },
    services,
    stores,
    logger: overrides.logger ?? createLogger('silent'),
    api: await (sharedApi ??= createOpenApiBackend()),
  });
  return { ...hub, stores, services, client: contractClient(hub) };
}
