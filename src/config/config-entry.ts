import type { Config } from './config-types';
import type { Parser } from './parsers';

export interface Defaulted<T> {
  env: string;
  parser: Parser<T>;
  fallback: T;
  help: string;
}

/** A variable that may stay unset; what unset means is described, because it is not a value. */
export interface Optional<T> {
  env: string;
  parser: Parser<T>;
  unsetMeans: string;
  help: string;
}

export type OptionalKey = { [K in keyof Config]-?: object extends Pick<Config, K> ? K : never }[keyof Config];

/**
 * One entry per Config key: a key without an entry, an entry without a key, a default or parser of
 * the wrong type, or a default for an optional key does not compile.
 */
export type ConfigTable = {
  [K in keyof Config]-?: K extends OptionalKey ? Optional<NonNullable<Config[K]>> : Defaulted<Config[K]>;
};

