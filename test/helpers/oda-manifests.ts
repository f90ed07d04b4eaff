import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths';

/** The reference component manifests of test/fixtures/oda, recreated from TM Forum's published shape. */
export const ODA_FIXTURES = {
  catalog: join(PROJECT_ROOT, 'test', 'fixtures', 'oda', 'product-catalog.component.yaml'),
  ordering: join(PROJECT_ROOT, 'test', 'fixtures', 'oda', 'product-ordering.component.yaml'),
};

export const CATALOG = 'r1-productcatalogmanagement';
export const ORDERING = 'r1-productorderingmanagement';

/** A manifest as an object, to change before sending. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: { eventNotification: { publishedEvents: Array<Record<string, unknown>>; subscribedEvents: Array<Record<string, unknown>> } } & Record<string, unknown>;
};

export function readManifest(file: string): Manifest {
  return parse(readFileSync(file, 'utf8')) as Manifest;
}

/** The ordering component with its callback port set to `port` (a test listener's, with HUB_ODA_CALLBACK_BASE http://127.0.0.1:{port}). */
export function orderingListeningOn(port: number): Manifest {
  const manifest = readManifest(ODA_FIXTURES.ordering);
  for (const entry of manifest.spec.eventNotification.subscribedEvents) entry.port = port;
  return manifest;
}

export const asYaml = (manifest: Manifest): string => stringify(manifest);
