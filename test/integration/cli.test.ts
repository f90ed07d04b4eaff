import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionName } from '../../src/cli/parse-args';
import { CONFIG_VARIABLES } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';
import { runToEnd, type Run } from '../helpers/run-to-end';
import { freshDatabaseEnv } from '../helpers/test-stores';

const CLI_JS = join(PROJECT_ROOT, 'dist', 'cli.js');

/** Runs `node dist/cli.js ...args` to its end. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runToEnd(process.execPath, [CLI_JS, ...args], { env: { ...process.env, ...env } });
}

describe('the command line (node dist/cli.js, the tmf688-hub bin)', () => {
  beforeAll(() => {
    if (!existsSync(CLI_JS)) throw new Error(`${CLI_JS} is missing: run npm run build first`);
  });

  it('should start with a shebang, so that npm can link it as the tmf688-hub bin', () => {
    expect(readFileSync(CLI_JS, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ 'tmf688-hub': 'dist/cli.js' });
  });

  it('should print with --help every configuration variable as an option', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: tmf688-hub /);
    for (const { name, shownDefault } of CONFIG_VARIABLES) {
      expect(stdout).toContain(`--${optionName(name)}`);
      expect(stdout).toContain(`(env ${name}, default ${shownDefault})`);
    }
  });

  it('should print the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`tmf688-hub ${version}\n`);
  });

  it.each([
    [['--bogus'], 'tmf688-hub: unknown option --bogus'],
    [['--port'], 'tmf688-hub: option --port needs a value'],
    [['serve'], 'tmf688-hub: unknown command "serve"'],
  ])('should exit 2 on %j, naming it and pointing to --help', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Run tmf688-hub --help for the commands and options.');
  });

  it('should exit 1 on an invalid option value, naming the variable and the option', async () => {
    const { code, stderr } = await runCli(['--port', 'abc']);
    expect(code).toBe(1);
    expect(stderr).toBe('Invalid configuration: PORT must be an integer from 0 to 65535, got "abc" (set by --port)\n');
  });

  it('should name no option when the invalid value came from the environment', async () => {
    const { code, stderr } = await runCli([], { LOG_LEVEL: 'chatty' });
    expect(code).toBe(1);
    expect(stderr).toBe('Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error, silent, got "chatty"\n');
  });

  it('should start the hub with options over the environment, answer /health, and stop with 0 on SIGTERM', async () => {
    // LOG_LEVEL=silent in the environment would hide the "listening" line: --log-level info must win.
    const env = { ...process.env, LOG_LEVEL: 'silent', PORT: '1', ...freshDatabaseEnv() };
    const child = spawn(process.execPath, [CLI_JS, '--port', '0', '--host=127.0.0.1', '--log-level', 'info'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the hub did not start:\n${out}`)), 15_000);
        child.stdout.on('data', () => {
          const match = /"msg":"tmf688-hub listening".*?"port":(\d+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`the hub exited with ${code}:\n${out}`));
        });
      });
      expect(port).toBeGreaterThan(1);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  });
});
