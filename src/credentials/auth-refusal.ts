import { longerThan } from '../text/character-count';
import type { ListenerAuth } from './listener-credentials';

/** Visible ASCII, no space: what a token or a secret may hold (it goes in a header or a form). */
const VISIBLE = /^[\x21-\x7e]+$/;
/** Printable text without control characters. */
const PRINTABLE = /^[^\x00-\x1f\x7f]+$/;
/** RFC 6749 section 3.3: scope tokens separated by single spaces. */
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;

const MAX_SECRET = 4096;
const MAX_NAME = 256;
const MAX_URL = 2048;

/** The attributes each type takes; any other is refused, so a typo never goes unnoticed. */
const ATTRIBUTES: Record<ListenerAuth['type'], readonly string[]> = {
  bearer: ['type', 'token'],
  basic: ['type', 'username', 'password'],
  oauth2: ['type', 'tokenUrl', 'clientId', 'clientSecret', 'scope', 'audience', 'clientAuth'],
};

type Check = (value: unknown) => string | undefined;

/** A string of 1 to `max` characters matching `pattern`; `what` says what it may hold. Never quotes the value. */
const text = (max: number, pattern: RegExp, what: string): Check => (value) => {
  if (typeof value !== 'string' || value.length === 0) return 'is required: a non-empty string';
  if (longerThan(value, max)) return `is longer than ${max} characters`;
  return pattern.test(value) ? undefined : `may hold only ${what}`;
};

const optional = (check: Check): Check => (value) => (value === undefined ? undefined : check(value));

function tokenUrlRefusal(value: unknown): string | undefined {
  const shape = text(MAX_URL, PRINTABLE, 'a URL')(value);
  if (shape) return shape;
  let url: URL;
  try {
    url = new URL(value as string);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry user information (the client authenticates with clientId and clientSecret)';
  return undefined;
}

const CHECKS: Record<string, Check> = {
  token: text(MAX_SECRET, VISIBLE, 'visible ASCII characters, no space'),
  username: (value) => text(MAX_NAME, PRINTABLE, 'printable characters')(value) ?? ((value as string).includes(':') ? 'may not contain ":" (RFC 7617)' : undefined),
  password: text(MAX_SECRET, PRINTABLE, 'printable characters'),
  tokenUrl: tokenUrlRefusal,
  clientId: text(MAX_NAME, PRINTABLE, 'printable characters'),
  clientSecret: text(MAX_SECRET, PRINTABLE, 'printable characters'),
  scope: optional(text(1024, SCOPE, 'scope tokens separated by single spaces (RFC 6749 section 3.3)')),
  audience: optional(text(1024, PRINTABLE, 'printable characters')),
  clientAuth: (value) => (value === undefined || value === 'basic' || value === 'body' ? undefined : 'must be "basic" or "body"'),
};

/**
 * Why an `auth` input is refused, naming the attribute (never quoting a secret), or undefined when
 * it is one of `{"type": "bearer", "token"}`, `{"type": "basic", "username", "password"}` or
 * `{"type": "oauth2", "tokenUrl", "clientId", "clientSecret", "scope"?, "audience"?, "clientAuth"?}`.
 */
export function authRefusal(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'auth: must be an object with a type: bearer, basic or oauth2';
  const input = value as Record<string, unknown>;
  const type = input.type;
  if (type !== 'bearer' && type !== 'basic' && type !== 'oauth2') return 'auth.type: must be bearer, basic or oauth2';
  const allowed = ATTRIBUTES[type];
  const extra = Object.keys(input).find((name) => !allowed.includes(name));
  if (extra !== undefined) return `auth.${extra}: not an attribute of ${type} auth (it takes ${allowed.slice(1).join(', ')})`;
  for (const name of allowed.slice(1)) {
    const refused = CHECKS[name](input[name]);
    if (refused) return `auth.${name}: ${refused}`;
  }
  return undefined;
}
