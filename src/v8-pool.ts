import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Config } from './config';
import { nodeArgs } from './node-options';

/** Node's own --v8-pool-size: the threads V8 runs its background work on (concurrent marking, compilation). */
export const NODE_V8_POOL_SIZE = 4;

export type V8PoolConfig = Pick<Config, 'v8PoolSize' | 'processes'>;

/**
 * HUB_V8_POOL_SIZE as the --v8-pool-size to give each hub process, or undefined to leave Node's.
 * `auto` sizes it to the CPUs the hub may use: each hub process keeps a core for its own thread, and
 * V8's background threads get what is left of its share, at least 1 and at most Node's 4. Node's 4
 * on a 2-core machine (or a container limited to 2 CPUs) let a major collection's concurrent marking
 * take both cores from the hub's thread, the listeners and the producers (docs/performance.md,
 * "Latency and warm-up").
 */
export function v8PoolSize(config: V8PoolConfig, cpus: number): number | undefined {
  if (config.v8PoolSize === 'off') return undefined;
  if (typeof config.v8PoolSize === 'number') return config.v8PoolSize;
  const share = Math.floor(cpus / Math.max(1, config.processes));
  return Math.min(NODE_V8_POOL_SIZE, Math.max(1, share - 1));
}

/**
 * The pool size Node was given (on its command line or in NODE_OPTIONS, the last one winning as Node
 * reads them), if any: that one wins over HUB_V8_POOL_SIZE.
 */
export function givenV8PoolSize(execArgv: readonly string[], nodeOptions: string | undefined): number | undefined {
  const sizes = nodeArgs(execArgv, nodeOptions).map((arg) => /^--v8[-_]pool[-_]size=(\d+)$/.exec(arg)?.[1]).filter((n) => n !== undefined);
  return sizes.length ? Number(sizes.at(-1)) : undefined;
}

/**
 * The CPUs a cgroup's quota allows, rounded up, or undefined when it sets none: cgroup v2's `cpu.max`
 * ("<quota> <period>" or "max <period>"), else v1's `cpu.cfs_quota_us` (-1: none) over `cpu.cfs_period_us`.
 */
export function cgroupCpus(files: { cpuMax?: string; cfsQuota?: string; cfsPeriod?: string }): number | undefined {
  const [quota, period] = files.cpuMax !== undefined ? files.cpuMax.trim().split(/\s+/) : [files.cfsQuota?.trim(), files.cfsPeriod?.trim()];
  const q = Number(quota);
  const p = Number(period);
  if (!quota || quota === 'max' || !Number.isFinite(q) || q <= 0 || !Number.isFinite(p) || p <= 0) return undefined;
  return Math.max(1, Math.ceil(q / p));
}

/** The CPUs this process may use: the cores it may run on, or fewer when its container's CPU limit says so. */
export function cpuBudget(read: (path: string) => string | undefined = readIfThere): number {
  const cores = availableParallelism();
  const limit = cgroupCpus({
    cpuMax: read('/sys/fs/cgroup/cpu.max'),
    cfsQuota: read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'),
    cfsPeriod: read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'),
  });
  return limit === undefined ? cores : Math.min(cores, limit);
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
