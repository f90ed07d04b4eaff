import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { heapCeilingMb, heapSizeGiven } from './heap-ceiling';
import { relaunch } from './heap-relaunch';

/**
 * Process entry: the configuration, then the heap limit (HUB_HEAP_LIMIT), then the hub
 * (src/run-hub.ts). V8 reads its heap limit only when a process starts, so a process without one
 * (no --max-old-space-size from the command line or NODE_OPTIONS) that should have one runs itself
 * again as a child with it (src/heap-relaunch.ts), or, with HUB_PROCESSES above 1, gives it to the
 * processes it forks. The hub's code is loaded only where the hub runs, so such a parent stays small.
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
  const heapMb = heapCeilingMb(config);
  const heapArgs = heapMb !== undefined && !heapSizeGiven(process.execArgv, env.NODE_OPTIONS) ? [`--max-old-space-size=${heapMb}`] : [];
  if (heapArgs.length && config.processes === 1 && cluster.isPrimary) return relaunch(heapArgs, env);
  const { runHub } = await import('./run-hub');
  await runHub(config, env, heapArgs);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`tmf688-hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
