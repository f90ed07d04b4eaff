import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths';
import { buildTestApp, type TestApp } from './test-app';
import { createTestStores } from './test-stores';

/**
 * The official TM Forum API documents, kept unmodified in the repository (seeds/README.md names the
 * source of each): a clone has them, with nothing beside it.
 */
export const OFFICIAL_SPECS = join(PROJECT_ROOT, 'seeds', 'schemas');

/** The seven official v4 swagger files whose notifications a registry must import (issue 13). */
export const OFFICIAL_V4_FILES = [
  'TMF621-TroubleTicket-v4.0.0.swagger.json',
  'TMF622-ProductOrdering-v4.0.0.swagger.json',
  'TMF638-ServiceInventory-v4.0.0.swagger.json',
  'TMF639-ResourceInventory-v4.0.0.swagger.json',
  'TMF641-ServiceOrdering-v4.0.0.swagger.json',
  'TMF642-Alarm-v4.0.0.swagger.json',
  'TMF656-ServiceProblem-v4.0.0.swagger.json',
] as const;

export const V5_YAML_FILE = 'TMF672-Roles_And_Permissions-v5.0.0.oas.yaml';

export function readSpec(name: string): string {
  return readFileSync(join(OFFICIAL_SPECS, name), 'utf8');
}

/**
 * The definitions of a spec, read independently of the code under test: YAML or JSON, Swagger 2.0
 * `definitions` or OpenAPI 3 `components.schemas`.
 */
export function definitionsOf(name: string): Record<string, unknown> {
  const doc = (name.endsWith('.yaml') ? parseYaml(readSpec(name)) : JSON.parse(readSpec(name))) as Record<string, any>;
  return doc.definitions ?? doc.components.schemas;
}

/** Names ending in "Event" that have a "<Name>Payload" definition: the TM Forum notification pattern. */
export function notificationNames(name: string): string[] {
  const definitions = definitionsOf(name);
  return Object.keys(definitions).filter((n) => n.endsWith('Event') && `${n}Payload` in definitions).sort();
}

/**
 * A fresh hub per test, on fresh stores of the configured kind, taking bodies as large as the official
 * documents (up to 300 kB: the production default of 1 MB rather than the tests' 64 kB).
 */
export function useSpecSizedHub(): () => TestApp {
  let hub: TestApp;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const made = await createTestStores();
    cleanup = made.cleanup;
    hub = await buildTestApp({ stores: made.stores, config: { maxBodyBytes: 1024 * 1024 } });
  });
  afterEach(async () => {
    await hub.stop();
    await cleanup();
  });
  return () => hub;
}
