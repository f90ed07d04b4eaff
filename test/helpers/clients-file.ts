import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** A HUB_CLIENTS_FILE written to a temporary directory for one suite; remove() deletes it. */
export interface TestClientsFile {
  path: string;
  remove(): void;
}

export function writeClientsFile(clients: ReadonlyArray<Record<string, unknown>>): TestClientsFile {
  const dir = mkdtempSync(join(tmpdir(), 'tmf688-clients-'));
  const path = join(dir, 'clients.yaml');
  writeFileSync(path, stringify({ clients }));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
