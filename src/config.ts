import { CONFIG_TABLE, type Defaulted, type Optional } from './config/config-table';
import { accessCombinationProblem } from './config/config-table-access';
import type { Config } from './config/config-types';
import { brokerConfigRefusal } from './config/config-table-brokers';
import { InvalidValue, type Parser } from './config/parsers';

export { parseDuration } from './config/parsers';
export type { Config, LogLevel, SchemaValidationMode, TlsClientCertMode } from './config/config-types';
export { SCHEMA_VALIDATION_MODES } from './config/config-types';

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** One variable as loadConfig, --help and the docs check (test/unit/docs-configuration.test.ts) read it: an entry of CONFIG_TABLE with its key. */
export interface ConfigVariable {
  readonly name: string;
  readonly key: keyof Config;
  readonly parser: Parser<unknown>;
  /** The typed default; undefined for a variable that may stay unset. */
  readonly fallback: unknown;
  /** The default as --help and docs/operations.md show it: the typed default formatted by its parser. */
  readonly shownDefault: string;
  readonly help: string;
  /** A boolean, whose option may be given bare. */
  readonly flag: boolean;
}

/** What an empty default (no CIDRs, no keys) is shown as: the default a blank or unset variable gives. */
export const NONE_SHOWN = '(none)';

export const CONFIG_VARIABLES: readonly ConfigVariable[] = (Object.keys(CONFIG_TABLE) as (keyof Config)[]).map((key) => {
  const entry: Defaulted<unknown> | Optional<unknown> = CONFIG_TABLE[key];
  const fallback = 'fallback' in entry ? entry.fallback : undefined;
  const shownDefault = 'fallback' in entry ? entry.parser.format(entry.fallback) || NONE_SHOWN : entry.unsetMeans;
  return { name: entry.env, key, parser: entry.parser, fallback, shownDefault, help: entry.help, flag: entry.parser.flag === true };
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Partial<Record<keyof Config, unknown>> = {};
  for (const variable of CONFIG_VARIABLES) values[variable.key] = read(env, variable);
  // Sound because ConfigTable gives every Config key one entry whose parser and default have its type.
  const config = values as Config;
  checkCombinations(config);
  return config;
}

/** A blank value is unset, so that `--name=` or `NAME=` falls back to the default. */
function read(env: NodeJS.ProcessEnv, { name, parser, fallback }: ConfigVariable): unknown {
  const raw = env[name]?.trim();
  // A copy, so that a caller changing its config (a retry schedule, a key list) cannot change the table.
  if (!raw) return structuredClone(fallback);
  try {
    return parser.parse(raw);
  } catch (err) {
    throw err instanceof InvalidValue ? new ConfigError(name, err.problem) : err;
  }
}

function checkCombinations(config: Config): void {
  const { listDefaultLimit, listMaxLimit, apiEnabled, workerEnabled, processes } = CONFIG_TABLE;
  if (config.listDefaultLimit > config.listMaxLimit) {
    throw new ConfigError(
      listDefaultLimit.env,
      `(${config.listDefaultLimit}) must not exceed ${listMaxLimit.env} (${config.listMaxLimit})`,
    );
  }
  if (!config.apiEnabled && !config.workerEnabled) {
    throw new ConfigError(apiEnabled.env, `and ${workerEnabled.env} are both false: the process would do nothing`);
  }
  const { kafkaSaslMechanism, kafkaSaslUsername, kafkaSaslPassword } = CONFIG_TABLE;
  if (config.kafkaSaslMechanism && (!config.kafkaSaslUsername || !config.kafkaSaslPassword)) {
    throw new ConfigError(kafkaSaslMechanism.env, `needs ${kafkaSaslUsername.env} and ${kafkaSaslPassword.env}`);
  }
  const brokers = brokerConfigRefusal(config);
  if (brokers) throw new ConfigError(brokers.variable, brokers.problem);
  if (config.processes > 1 && !config.mongodbUrl) {
    throw new ConfigError(
      processes.env,
      `(${config.processes}) needs MONGODB_URL: the embedded store lives in one process, so several processes cannot share it (leave ${processes.env} at 1, or use MongoDB)`,
    );
  }
  const access = accessCombinationProblem(config);
  if (access) throw new ConfigError(...access);
}
