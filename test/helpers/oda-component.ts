import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths';

/** The hub's ODA Component manifest, as the tests read it. */

interface ExposedApi {
  name: string;
  specification?: { url: string; version: string }[];
  implementation: string;
  apiType: string;
  path: string;
  port: number;
}
export interface OdaComponent {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    componentMetadata: { name: string; version: string };
    coreFunction: { exposedAPIs: ExposedApi[] };
    eventNotification: { publishedEvents: { name: string; hub: string; implementation: string; port: number }[]; subscribedEvents: unknown[] };
    managementFunction: { exposedAPIs: ExposedApi[] };
    securityFunction: { canvasSystemRole: string; componentRole: { name: string; description: string }[] };
  };
}

export const ODA_COMPONENT_FILE = join(PROJECT_ROOT, 'deploy', 'oda', 'tmf688-hub.component.yaml');
export const readOdaComponent = (): OdaComponent => parse(readFileSync(ODA_COMPONENT_FILE, 'utf8')) as OdaComponent;
