import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

export const MAIN_JS = join(PROJECT_ROOT, 'dist', 'main.js');
/** The tmf688-hub command (bin), which starts the same server when given no command. */
export const CLI_JS = join(PROJECT_ROOT, 'dist', 'cli.js');

export interface HubProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts the built hub (`npm start` runs the same file) and resolves once it logs that it listens.
 * The hub runs in the process started (HUB_HEAP_LIMIT=off, HUB_V8_POOL_SIZE=off), so that a test that
 * kills `child` kills the hub itself, as a crash would; a test of the defaults passes auto, and the
 * hub then runs in a child of `child` (src/heap-relaunch.ts).
 */
export async function startHubProcess(env: Record<string, string> = {}, timeoutMs = 20_000, script = MAIN_JS): Promise<HubProcess> {
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build (npm install does it) first`);
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', HUB_HEAP_LIMIT: 'off', HUB_V8_POOL_SIZE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    // A hub that does not start in time is stopped, not left running after the test that started it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"msg":"tmf688-hub listening".*?"port":(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before listening:\n${out}`));
    });
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Runs the built hub expecting it to stop by itself (e.g. on bad configuration). */
export async function runHubToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN_JS], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}
