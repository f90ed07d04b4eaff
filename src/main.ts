import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { heapCeilingMb, heapSizeGiven } from './heap-ceiling';
import { relaunch } from './heap-relaunch';
import { cpuBudget, givenV8PoolSize, v8PoolSize } from './v8-pool';

/**
 * Process entry: the configuration, then the Node options the hub gives itself (the heap limit,
 * HUB_HEAP_LIMIT; V8's thread pool, HUB_V8_POOL_SIZE), then the hub (src/run-hub.ts). V8 reads both
 * only when a process starts, so a process that should have one and was not given it (on the command
 * line or in NODE_OPTIONS) runs itself again as a child with them (src/heap-relaunch.ts), or, with
 * HUB_PROCESSES above 1, gives them to the processes it forks. The hub's code is loaded only where the
 * hub runs, so such a parent stays small.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const nodeArgs = hubNodeArgs(config, process.execArgv, env.NODE_OPTIONS, cpuBudget());
  if (nodeArgs.length && config.processes === 1 && cluster.isPrimary) return relaunch(nodeArgs, env);
  const { runHub } = await import('./run-hub');
  await runHub(config, env, nodeArgs);
}

/** The Node options the hub gives its processes: those its settings ask for and Node was not given already. */
export function hubNodeArgs(config: Config, execArgv: readonly string[], nodeOptions: string | undefined, cpus: number): string[] {
  const args: string[] = [];
  const heapMb = heapCeilingMb(config);
  if (heapMb !== undefined && !heapSizeGiven(execArgv, nodeOptions)) args.push(`--max-old-space-size=${heapMb}`);
  const pool = v8PoolSize(config, cpus);
  if (pool !== undefined && givenV8PoolSize(execArgv, nodeOptions) === undefined) args.push(`--v8-pool-size=${pool}`);
  return args;
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`tmf688-hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
