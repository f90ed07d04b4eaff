import { accessSync, constants, statSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import type { HeapLimit, V8PoolSize } from './config-types';

/** A value a parser refuses; loadConfig adds the variable's name, so one parser serves many variables. */
export class InvalidValue extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'InvalidValue';
  }
}

/**
 * How one variable's text becomes its typed value, and back: format() writes the default shown in
 * --help and the configuration table of docs/operations.md, so the shown text is the typed default, not a second copy of it.
 */
export interface Parser<T> {
  /** Reads a trimmed, non-blank value; throws InvalidValue. */
  parse(raw: string): T;
  format(value: T): string;
  /** A command-line option that may be given bare, meaning true. */
  readonly flag?: boolean;
}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return {
    parse(raw) {
      if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        throw new InvalidValue(`must be an integer from ${min} to ${max}, got "${raw}"`);
      }
      return Number(raw);
    },
    format: String,
  };
}

export function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return {
    parse(raw) {
      const value = raw.toLowerCase();
      if (!(allowed as readonly string[]).includes(value)) {
        throw new InvalidValue(`must be one of ${allowed.join(', ')}, got "${value}"`);
      }
      return value as T;
    },
    format: (value) => value,
  };
}

export const boolean: Parser<boolean> = {
  parse(raw) {
    const value = raw.toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new InvalidValue(`must be true or false, got "${value}"`);
  },
  format: String,
  flag: true,
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Largest first, so that a default is shown in the unit a person would write it in. */
const FORMAT_UNITS = Object.entries(DURATION_UNITS).sort(([, a], [, b]) => b - a);

/** Parses a duration such as 500ms, 5s, 2m, 1h or 1d (a bare number is milliseconds) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']);
}

/** 5000 -> 5s, 90000 -> 90s, 0 -> 0: the largest unit that divides exactly. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  const [unit, size] = FORMAT_UNITS.find(([, size]) => ms % size === 0) ?? ['ms', 1];
  return `${ms / size}${unit}`;
}

export function duration(minMs: number): Parser<number> {
  return {
    parse(raw) {
      const ms = parseDuration(raw);
      if (ms === undefined || ms < minMs) {
        throw new InvalidValue(`must be a duration of at least ${minMs}ms such as 500ms, 5s or 2m, got "${raw}"`);
      }
      return ms;
    },
    format: formatDuration,
  };
}

/** Comma-separated durations; `none` is the empty schedule, because a blank value means "unset". */
export const durationList: Parser<number[]> = {
  parse(raw) {
    if (raw.toLowerCase() === 'none') return [];
    return raw.split(',').map((part) => {
      const ms = parseDuration(part);
      if (ms === undefined) throw new InvalidValue(`must be comma-separated durations such as 5s,30s,2m (or none), got "${raw}"`);
      return ms;
    });
  },
  format: (schedule) => (schedule.length === 0 ? 'none' : schedule.map(formatDuration).join(',')),
};

const BYTE_UNITS = { b: 1, kb: 1024, mb: 1024 * 1024 };

export const byteSize: Parser<number> = {
  parse(raw) {
    const value = raw.toLowerCase();
    const match = /^(\d+)\s*(b|kb|mb)?$/.exec(value);
    if (!match || Number(match[1]) === 0) throw new InvalidValue(`must be a size such as 1048576, 512kb or 1mb, got "${value}"`);
    return Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b') as keyof typeof BYTE_UNITS];
  },
  format(bytes) {
    if (bytes % BYTE_UNITS.mb === 0) return `${bytes / BYTE_UNITS.mb}mb`;
    if (bytes % BYTE_UNITS.kb === 0) return `${bytes / BYTE_UNITS.kb}kb`;
    return String(bytes);
  },
};

/** The smallest heap limit HUB_HEAP_LIMIT accepts: below it the hub's own code and contract do not fit. */
export const MIN_HEAP_LIMIT_MB = 128;

/** HUB_HEAP_LIMIT: `auto`, `off`, or a size of at least MIN_HEAP_LIMIT_MB. */
export const heapLimit: Parser<HeapLimit> = {
  parse(raw) {
    const value = raw.toLowerCase();
    if (value === 'auto' || value === 'off') return value;
    let bytes: number;
    try {
      bytes = byteSize.parse(value);
    } catch {
      throw new InvalidValue(`must be auto, off or a size such as 768mb, got "${value}"`);
    }
    if (bytes < MIN_HEAP_LIMIT_MB * BYTE_UNITS.mb) throw new InvalidValue(`must be at least ${MIN_HEAP_LIMIT_MB}mb, got "${value}"`);
    return bytes;
  },
  format: (value) => (typeof value === 'number' ? byteSize.format(value) : value),
};

/** The most V8 threads HUB_V8_POOL_SIZE gives a process. */
export const MAX_V8_POOL_SIZE = 64;

/** HUB_V8_POOL_SIZE: `auto`, `off`, or a thread count from 1 to MAX_V8_POOL_SIZE. */
export const v8PoolSize: Parser<V8PoolSize> = {
  parse(raw) {
    const value = raw.toLowerCase();
    if (value === 'auto' || value === 'off') return value;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_V8_POOL_SIZE) {
      throw new InvalidValue(`must be auto, off or a number of threads from 1 to ${MAX_V8_POOL_SIZE}, got "${raw}"`);
    }
    return Number(value);
  },
  format: String,
};

export const text: Parser<string> = { parse: (raw) => raw, format: (value) => value };

export const httpUrl: Parser<string> = {
  parse(raw) {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new InvalidValue(`must be an absolute http(s) URL, got "${raw}"`);
    // Every href is written base + path: a trailing slash would double it.
    return raw.replace(/\/+$/, '');
  },
  format: (value) => value,
};

/**
 * An http(s) URL with {placeholders} among `names`, filled in later (HUB_ODA_CALLBACK_BASE): checked
 * now with each placeholder filled, so a template that could never make a URL stops the start.
 */
export function urlTemplate(names: readonly string[]): Parser<string> {
  return {
    parse(raw) {
      const unknown = [...raw.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((name) => !names.includes(name));
      if (unknown.length) throw new InvalidValue(`may hold only the placeholders ${names.map((n) => `{${n}}`).join(', ')}, got {${unknown[0]}}`);
      const filled = raw.replace(/\{[^}]*\}/g, (m) => (m === '{port}' ? '8080' : 'x'));
      httpUrl.parse(filled);
      return raw.replace(/\/+$/, '');
    },
    format: (value) => value,
  };
}

/**
 * An absolute http(s) URL kept exactly as written: an OAuth2 issuer is compared with the tokens'
 * `iss` character for character, so a trailing slash is part of it.
 */
export const exactHttpUrl: Parser<string> = {
  parse(raw) {
    const url = URL.parse(raw);
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new InvalidValue(`must be an absolute http(s) URL, got "${raw}"`);
    return raw;
  },
  format: (value) => value,
};

/** A file the hub reads at start (certificates, keys, the clients file): checked readable now, so the start stops here naming the variable. */
export const readableFile: Parser<string> = {
  parse(raw) {
    try {
      if (!statSync(raw).isFile()) throw new InvalidValue(`must be a file, got the directory "${raw}"`);
      accessSync(raw, constants.R_OK);
    } catch (err) {
      if (err instanceof InvalidValue) throw err;
      throw new InvalidValue(`must be a readable file: "${raw}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return raw;
  },
  format: (value) => value,
};

export const mongoUrl: Parser<string> = {
  parse(raw) {
    // Not echoed: a connection string may carry a password.
    if (!/^mongodb(\+srv)?:\/\/[^/]+/.test(raw)) throw new InvalidValue('must start with mongodb:// or mongodb+srv:// followed by a host');
    return raw;
  },
  format: (value) => value,
};

function listOf(check: (item: string) => void): Parser<string[]> {
  return {
    parse(raw) {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      items.forEach(check);
      return items;
    },
    format: (items) => items.join(','),
  };
}

export const cidrList = listOf((cidr) => {
  const [address, bits] = cidr.split('/');
  const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
  if (max < 0 || bits === undefined || !/^\d+$/.test(bits) || Number(bits) > max) {
    throw new InvalidValue(`must be comma-separated CIDR ranges such as 10.20.0.0/16 or fd12::/16, got "${cidr}"`);
  }
});

export const apiKeyList = listOf((key) => {
  // The value itself is never echoed: it is a secret.
  if (key.length < 16 || /\s/.test(key)) throw new InvalidValue('must be keys of at least 16 characters without spaces');
});

/** Kafka bootstrap brokers: host:port, comma-separated. */
export const hostPortList = listOf((broker) => {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(broker);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new InvalidValue(`must be comma-separated host:port pairs, got "${broker}"`);
});

/** A secret: taken as given, and shown as *** wherever configuration is printed. */
export const secretText: Parser<string> = { parse: (raw) => raw, format: () => '***' };
