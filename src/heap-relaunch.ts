import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** The signals a relaunched hub is stopped by; the parent passes them on. */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Runs this same command again as a child process with `nodeArgs` added to Node's options (the heap
 * limit, which V8 reads only when a process starts), and stays as its parent: the child inherits the
 * standard streams and the environment, the parent passes SIGTERM, SIGINT and SIGHUP on and exits with
 * the child's exit code (128 + the signal's number when a signal ended it). Should the parent be
 * killed outright, the child sees its IPC channel close and stops too (src/run-hub.ts), never left
 * running on its own. The parent holds none of
 * the hub (main loads the hub's code only in the child), so it costs a Node runtime, no data.
 */
export function relaunch(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, exit: (code: number) => void = (code) => process.exit(code)): void {
  const child = spawn(process.execPath, [...process.execArgv, ...nodeArgs, ...process.argv.slice(1)], { env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const pass = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, pass);
  child.once('error', (err) => {
    process.stderr.write(`tmf688-hub could not start its hub process: ${err.message}\n`);
    exit(1);
  });
  child.once('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, pass);
    exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
  });
}
