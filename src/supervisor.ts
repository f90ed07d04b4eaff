import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger';

export interface SupervisorOptions {
  /** How many hub processes to keep running (HUB_PROCESSES). */
  processes: number;
  /** The environment every process starts with (the command line's options laid over the environment). */
  env: NodeJS.ProcessEnv;
  /** Node's options for every process (the primary's, with the heap limit main chose). */
  execArgv?: readonly string[];
  /** Only the first process loads the seeds (HUB_SEED), so they are loaded once. */
  seed: boolean;
  /** How long the processes get to stop on SIGTERM before they are killed (HUB_SHUTDOWN_GRACE, plus a margin). */
  stopTimeoutMs: number;
  logger: Logger;
  /** A process that dies is restarted, up to this many times within `restartWindowMs`; past it the whole hub exits. */
  maxRestarts?: number;
  restartWindowMs?: number;
  exit?: (code: number) => void;
}

/**
 * The primary of HUB_PROCESSES > 1: forks that many hub processes (node:cluster), which share the
 * listening port and, on MongoDB, the store and its outbox. A process that dies unexpectedly is
 * restarted; one that keeps dying (more than maxRestarts within restartWindowMs) stops the whole
 * hub with exit code 1. SIGTERM or SIGINT stops every process gracefully (each finishes its attempts
 * in flight and releases its leases), then the primary exits 0.
 */
export function superviseProcesses(options: SupervisorOptions): void {
  const { logger, processes } = options;
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.restartWindowMs ?? 60_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const restarts: number[] = [];
  const live = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;

  const fork = (first: boolean): Worker => {
    const child = cluster.fork({ ...options.env, HUB_SEED: first && options.seed ? 'true' : 'false' });
    live.add(child);
    child.on('exit', (code, signal) => {
      live.delete(child);
      if (stopping) {
        if (live.size === 0) exit(exitCode);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0] < now - windowMs) restarts.shift();
      if (restarts.length > maxRestarts) {
        logger.error('a hub process keeps dying; stopping the hub', { pid: child.process.pid, code, signal, restarts: restarts.length, windowMs });
        exitCode = 1;
        stop('restarts');
        return;
      }
      logger.error('a hub process died; starting another', { pid: child.process.pid, code, signal });
      fork(false);
    });
    return child;
  };

  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping the hub processes', { why });
    const alive = [...live];
    if (alive.length === 0) return exit(exitCode);
    for (const w of alive) w.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('hub processes did not stop in time; killing them', { pids: alive.map((w) => w.process.pid) });
      for (const w of alive) w.process.kill('SIGKILL');
      exit(1);
    }, options.stopTimeoutMs).unref();
  };

  if (options.execArgv) cluster.setupPrimary({ execArgv: [...options.execArgv] });
  for (let i = 0; i < processes; i++) fork(i === 0);
  logger.info('hub processes started', { processes, pids: [...live].map((w) => w.process.pid) });
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Whether this process is the primary that supervises the others (rather than a hub process). */
export function supervises(processes: number): boolean {
  return processes > 1 && cluster.isPrimary;
}
