import type { ConfigVariable } from '../config';

/** What the command line needs of a configuration variable. */
export type OptionVariable = Pick<ConfigVariable, 'name' | 'shownDefault' | 'help' | 'flag'>;

export type CliCommand = 'start' | 'seed' | 'help' | 'version';

export interface ParsedArgs {
  command: CliCommand;
  /** The variables set by options, to lay over the environment. */
  env: Record<string, string>;
  /** The option that set each variable, to name it in a configuration error. */
  optionOf: Record<string, string>;
}

/** A command line that cannot be run; the message names the offending argument. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const COMMANDS: ReadonlyArray<readonly [name: string, description: string]> = [
  ['(none)', 'start the hub'],
  ['seed', 'load the sample data of seeds/ into the MongoDB store of MONGODB_URL, print what it did, and exit'],
  ['oda apply <file>', 'apply an ODA Component manifest to a running hub (--url, --key or --token; docs/oda.md)'],
  ['oda get <name>', 'show what an applied ODA component made, and what it could not apply'],
  ['oda delete <name>', 'delete the topics and hubs an ODA component made'],
];

/** PORT -> port, HUB_PUBLIC_URL -> public-url, MONGODB_URL -> mongodb-url: a leading HUB_ dropped, lower case, _ to -. */
export function optionName(variable: string): string {
  return variable.replace(/^HUB_/, '').toLowerCase().replace(/_/g, '-');
}

const BOOLEAN_VALUES = new Set(['true', 'false', '1', '0']);

/**
 * Parses `tmf688-hub [seed] [--option[=value] | --option value]...`. Every configuration variable
 * is an option named by optionName(); boolean ones also take a bare flag (meaning true), and a
 * following true/false/1/0 as their value. `--help` (`-h`) and `--version` win over everything
 * else that parses. The last of repeated options wins. Throws UsageError.
 */
export function parseArgs(argv: readonly string[], variables: readonly OptionVariable[]): ParsedArgs {
  const byOption = new Map(variables.map((v) => [optionName(v.name), v] as const));
  const env: Record<string, string> = {};
  const optionOf: Record<string, string> = {};
  let command: CliCommand = 'start';
  let commandGiven = false;
  let help = false;
  let version = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version') {
      version = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      if (commandGiven) throw new UsageError(`unexpected argument "${arg}" after the command "${command}"`);
      if (arg !== 'seed') throw new UsageError(`unknown command "${arg}" (commands: seed, oda; none starts the hub)`);
      command = arg;
      commandGiven = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const variable = flag.startsWith('--') ? byOption.get(flag.slice(2)) : undefined;
    if (!variable) throw new UsageError(`unknown option ${flag}`);
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (variable.flag) {
      const next = argv[i + 1];
      value = next !== undefined && BOOLEAN_VALUES.has(next.toLowerCase()) ? argv[++i] : 'true';
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`option ${flag} needs a value (${flag}=<value> or ${flag} <value>)`);
      value = argv[++i];
    }
    env[variable.name] = value;
    optionOf[variable.name] = flag;
  }
  if (help) command = 'help';
  else if (version) command = 'version';
  return { command, env, optionOf };
}
