#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOdaArgs } from './cli/oda-args';
import { runOda } from './cli/oda-command';
import { parseArgs, UsageError } from './cli/parse-args';
import { PROGRAM, usage } from './cli/usage';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';
import { main } from './main';
import { PROJECT_ROOT } from './paths';

/**
 * `tmf688-hub [seed] [options]`: every configuration variable is also an option (see usage()), laid
 * over the environment. `tmf688-hub oda ...` is a client of a running hub (src/cli/oda-command.ts). Exit codes: 0 done, 1 failed (bad configuration, a failed seed), 2 bad
 * command line.
 */
async function cli(argv: readonly string[]): Promise<void> {
  // A client of a running hub: none of the hub's own options apply.
  if (argv[0] === 'oda') return oda(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs(argv, CONFIG_VARIABLES);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${PROGRAM}: ${err.message}\nRun ${PROGRAM} --help for the commands and options.\n`);
    process.exit(2);
  }
  if (parsed.command === 'help') return void process.stdout.write(usage(CONFIG_VARIABLES));
  if (parsed.command === 'version') return void process.stdout.write(`${PROGRAM} ${packageVersion()}\n`);

  const env = { ...process.env, ...parsed.env };
  try {
    loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const option = parsed.optionOf[err.variable];
    process.stderr.write(`${err.message}${option ? ` (set by ${option})` : ''}\n`);
    process.exit(1);
  }
  if (parsed.command === 'seed') {
    const { runSeed } = await import('./seed/run-seed');
    process.exitCode = await runSeed(env);
    return;
  }
  try {
    await main(env);
  } catch (err) {
    process.stderr.write(`${PROGRAM} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

async function oda(argv: readonly string[]): Promise<void> {
  let args;
  try {
    args = parseOdaArgs(argv, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${PROGRAM}: ${err.message}\nRun ${PROGRAM} --help for the commands and options.\n`);
    process.exit(2);
  }
  process.exitCode = await runOda(args, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

cli(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${PROGRAM} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
