import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * describe() when the test server's address is given in `variable` (CI starts each broker once and
 * passes it, for both store runs); otherwise a skip that says why, or in CI a failing test: a
 * server that did not start is a failure, never a skip. Outside CI, `fallback` (a tool found on this
 * machine) stands in for an unset variable.
 */
export function describeWithServer(variable: string, script: string, name: string, body: (address: string) => void, fallback?: string): void {
  const address = process.env[variable] || (process.env.CI === 'true' ? undefined : fallback);
  if (address) {
    describe(name, () => body(address));
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs a test server: CI must set ${variable} (${script})`, () => {
        throw new Error(`${variable} is not set in CI: the test server did not start`);
      });
    });
  } else {
    console.log(`Skipping "${name}": ${variable} is not set (start a server with ${script}; CI does).`);
    describe.skip(`${name} (skipped: set ${variable}, e.g. from ${script})`, () => body(''));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a start script with the given environment and arguments; its output, or why it failed. */
export function runScript(script: string, env: Record<string, string>, args: string[] = [], timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(script, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) =>
      err ? reject(new Error(`${script} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
    );
  });
}

/**
 * A server of the test's own, started by one of the test/ start scripts on a fixed free port and a
 * data folder of its own, which the test may stop and start again on the same port and data (the
 * outage tests). `prefix` names the script's variables: <prefix>_DIR, <prefix>_PORT, <prefix>_KEEP_DATA.
 */
export class OwnServer {
  private constructor(
    readonly address: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
    private readonly prefix: string,
    private readonly dir: string,
  ) {}

  static async start(script: string, prefix: string, extra: Record<string, string> = {}): Promise<OwnServer> {
    const dir = mkdtempSync(join(tmpdir(), `tmf688-${prefix.toLowerCase()}-own-`));
    const env = { [`${prefix}_DIR`]: dir, [`${prefix}_PORT`]: String(await freePort()), ...extra };
    await runScript(script, env);
    return new OwnServer(readFileSync(join(dir, 'address'), 'utf8').trim(), script, env, prefix, dir);
  }

  /** Stops the server (by its PID); its data stays for restart(). */
  async stop(): Promise<void> {
    await runScript(this.script, this.env, ['stop']);
  }

  /** Starts it again on the same port and data. */
  async restart(): Promise<void> {
    await runScript(this.script, { ...this.env, [`${this.prefix}_KEEP_DATA`]: 'true' });
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A test that needs the test server named by `variable`: run concurrently with the other brokers'
 * (their servers are independent, and the outage tests spend most of their time waiting), skipped
 * locally without the server (saying why), failing in CI.
 */
export function itWithServer(variable: string, script: string, name: string, test: (address: string) => Promise<void>, timeoutMs: number): void {
  const address = process.env[variable] || undefined;
  if (address) it.concurrent(name, () => test(address), timeoutMs);
  else if (process.env.CI === 'true') {
    it(`${name}: needs ${variable} (${script})`, () => {
      throw new Error(`${variable} is not set in CI: the test server did not start`);
    });
  } else {
    console.log(`Skipping "${name}": ${variable} is not set (start a server with ${script}; CI does).`);
    it.skip(`${name} (skipped: set ${variable}, e.g. from ${script})`, () => undefined);
  }
}
