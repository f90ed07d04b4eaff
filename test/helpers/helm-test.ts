import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths';
import { describeWithServer } from './broker-test';

export const CHART_DIR = join(PROJECT_ROOT, 'deploy', 'helm', 'tmf688-hub');
export const FULL_VALUES = join(CHART_DIR, 'ci', 'full-values.yaml');
const SCRIPT = 'test/helm/helm.sh';

/** The helm test/helm/helm.sh builds, where it leaves it (its VERSION and cache folder), if it is there. */
function cachedHelm(): string | undefined {
  const version = /^VERSION=(\S+)$/m.exec(readFileSync(join(PROJECT_ROOT, SCRIPT), 'utf8'))?.[1];
  const path = join(process.env.HELM_CACHE || join(homedir(), '.cache', 'tmf688-hub'), `helm-${version}`, 'helm');
  return version && existsSync(path) ? path : undefined;
}

/**
 * describe() with the helm binary: HUB_TEST_HELM (CI sets it from test/helm/helm.sh), else the one
 * that script cached on this machine; without either a skip that says why, and in CI a failure.
 */
export function describeWithHelm(name: string, body: (helm: string) => void): void {
  describeWithServer('HUB_TEST_HELM', SCRIPT, name, body, cachedHelm());
}

export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs helm with the arguments; never throws for helm's own failure (the tests look at it). */
export function runHelm(helm: string, args: string[]): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    execFile(helm, args, { cwd: PROJECT_ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ ok: !err, stdout, stderr });
    });
  });
}

/** A Kubernetes object as the test reads it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `helm template` of the chart with the value files and --set pairs given; its objects, or the error helm gave. */
export async function renderChart(helm: string, valueFiles: string[] = [], set: string[] = []): Promise<{ manifests: Manifest[]; error?: string }> {
  const args = ['template', 'tmf688-hub', CHART_DIR, ...valueFiles.flatMap((file) => ['-f', file]), ...set.flatMap((pair) => ['--set', pair])];
  const result = await runHelm(helm, args);
  if (!result.ok) return { manifests: [], error: result.stderr };
  const manifests = parseAllDocuments(result.stdout)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`helm template printed invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((doc): doc is Manifest => doc !== null);
  return { manifests };
}
