import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isRole, ROLES, type Quota, type Role } from './principal';
import { subjectKeyOf } from './certificate-subject';
import { topicScopeProblem } from './topic-scope';

/** One client of HUB_CLIENTS_FILE (or HUB_API_KEYS), validated; it holds no plain key. */
export interface ClientEntry {
  /** Where it came from, for messages: `clients[2] (billing)` or `HUB_API_KEYS[1]`. */
  readonly label: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly topics?: readonly string[];
  readonly quota: Readonly<Quota>;
  /** Lower-case hex SHA-256 of the client's API key. */
  readonly keySha256?: string;
  /** As written, and the canonical key it matches certificates by (certificate-subject). */
  readonly certificateSubject?: { readonly text: string; readonly key: string };
  /** Matched against a token's `azp`. */
  readonly oidcClientId?: string;
}

export interface ClientsFile {
  clients: ClientEntry[];
  /** For the caller to log at start (a plain `key:`); none holds a key. */
  warnings: string[];
}

/** A clients file that cannot be used: the message names the entry and the field, never a key. */
export class ClientsFileError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ClientsFileError';
  }
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

const FIELDS = ['name', 'keySha256', 'key', 'certificateSubject', 'oidcClientId', 'roles', 'topics', 'quota'];
const QUOTA_FIELDS = ['publishPerSecond', 'hubs'];
/** Letters, digits, ".", "_" and "-": no ":" so no entry can take the `oidc:` names of unclaimed tokens. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;
/**
 * Names the hub gives itself: `anonymous` is every request of an open hub (and owns the hubs made
 * then), `unauthenticated` the audit trail's name for a refused credential. A client taking either
 * would inherit those hubs or hide in those records.
 */
export const RESERVED_NAMES: readonly string[] = ['anonymous', 'unauthenticated'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const unknownFields = (value: Record<string, unknown>, known: readonly string[]) => Object.keys(value).filter((field) => !known.includes(field));

/** Reads one entry: the entry or the problem (field first, as "roles: ..."). */
function readEntry(raw: unknown, label: string, warnings: string[]): ClientEntry | string {
  if (!isObject(raw)) return 'an entry is a mapping (name, roles, ...)';
  const unknown = unknownFields(raw, FIELDS);
  // A typo ("topic:" for "topics:") must not silently widen what the client may do.
  if (unknown.length) return `${unknown.join(', ')}: unknown field${unknown.length > 1 ? 's' : ''} (known: ${FIELDS.join(', ')})`;
  const { name, keySha256, key, certificateSubject, oidcClientId, roles, topics, quota } = raw;
  if (typeof name !== 'string' || !NAME.test(name)) return 'name: 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit';
  if (RESERVED_NAMES.includes(name.toLowerCase())) return `name: "${name}" is the hub's own (reserved: ${RESERVED_NAMES.join(', ')})`;

  if (!Array.isArray(roles) || roles.length === 0) return `roles: a list of one or more of ${ROLES.join(', ')}`;
  const wrong = roles.find((role) => !isRole(role));
  if (wrong !== undefined) return `roles: ${JSON.stringify(wrong)} is not a role (${ROLES.join(', ')})`;

  if (topics !== undefined) {
    if (!Array.isArray(topics) || topics.length === 0) return 'topics: a list of topic names, exact or "<prefix>.*" (leave it out for every topic)';
    const problem = topics.map(topicScopeProblem).find(Boolean);
    if (problem) return `topics: ${problem}`;
    // Admin is everything (every hub, the audit trail): scopes would suggest a limit it does not have.
    if (roles.includes('admin')) return 'topics: an admin is not scoped to topics; give it another role or leave topics out';
  }

  const readQuota = readQuotaField(quota);
  if (typeof readQuota === 'string') return readQuota;

  if (keySha256 !== undefined && key !== undefined) return 'key: give keySha256 or key, not both';
  let digest: string | undefined;
  if (keySha256 !== undefined) {
    // Never echo the value: it may be a plain key pasted into the wrong field.
    if (typeof keySha256 !== 'string' || !HEX64.test(keySha256)) return 'keySha256: 64 hex digits (the SHA-256 of the key, e.g. `printf %s "$KEY" | sha256sum`)';
    digest = keySha256.toLowerCase();
  }
  if (key !== undefined) {
    if (typeof key !== 'string' || key.trim() === '') return 'key: a non-empty string';
    digest = sha256Hex(key);
    warnings.push(`${label}: key is given in plain text; write keySha256 (its SHA-256 in hex) instead`);
  }

  let subject: ClientEntry['certificateSubject'];
  if (certificateSubject !== undefined) {
    if (typeof certificateSubject !== 'string' || certificateSubject.trim() === '') return 'certificateSubject: a subject such as "CN=billing,O=Example CSP"';
    const read = subjectKeyOf(certificateSubject);
    if ('problem' in read) return `certificateSubject: ${read.problem}`;
    subject = { text: certificateSubject, key: read.key };
  }

  if (oidcClientId !== undefined && (typeof oidcClientId !== 'string' || oidcClientId.trim() === '')) return 'oidcClientId: a non-empty string (the azp of the client\'s tokens)';
  if (digest === undefined && subject === undefined && oidcClientId === undefined) return 'no credential: give keySha256 (or key), certificateSubject or oidcClientId';

  return {
    label,
    name,
    roles: [...new Set(roles as Role[])],
    ...(topics !== undefined && { topics: [...new Set(topics as string[])] }),
    quota: readQuota,
    ...(digest !== undefined && { keySha256: digest }),
    ...(subject !== undefined && { certificateSubject: subject }),
    ...(oidcClientId !== undefined && { oidcClientId: oidcClientId as string }),
  };
}

function readQuotaField(quota: unknown): Quota | string {
  if (quota === undefined) return {};
  if (!isObject(quota)) return 'quota: a mapping { publishPerSecond?, hubs? }';
  const unknown = unknownFields(quota, QUOTA_FIELDS);
  if (unknown.length) return `quota: ${unknown.join(', ')}: unknown field${unknown.length > 1 ? 's' : ''} (known: ${QUOTA_FIELDS.join(', ')})`;
  const { publishPerSecond, hubs } = quota;
  if (publishPerSecond !== undefined && !(typeof publishPerSecond === 'number' && Number.isFinite(publishPerSecond) && publishPerSecond > 0)) {
    return 'quota.publishPerSecond: a number above 0';
  }
  if (hubs !== undefined && !(typeof hubs === 'number' && Number.isSafeInteger(hubs) && hubs >= 0)) return 'quota.hubs: a whole number, 0 or more';
  return { ...(publishPerSecond !== undefined && { publishPerSecond }), ...(hubs !== undefined && { hubs }) };
}

/** Names, keys, subjects and client ids each belong to one entry; the first clash, named by both entries. */
export function duplicateProblem(entries: readonly ClientEntry[]): string | undefined {
  const seen = new Map<string, string>();
  const identities = (entry: ClientEntry): Array<[string, string | undefined]> => [
    ['name', entry.name],
    ['API key', entry.keySha256],
    ['certificateSubject', entry.certificateSubject?.key],
    ['oidcClientId', entry.oidcClientId],
  ];
  for (const entry of entries) {
    for (const [what, value] of identities(entry)) {
      if (value === undefined) continue;
      const owner = seen.get(`${what}\0${value}`);
      // The key itself is never named, only that two entries share one.
      if (owner) return `${entry.label}: ${what === 'API key' ? 'the same API key' : `the same ${what}`} as ${owner}`;
      seen.set(`${what}\0${value}`, entry.label);
    }
  }
  return undefined;
}

/**
 * Parses and validates HUB_CLIENTS_FILE's text (YAML, of which JSON is a part):
 * `clients:` a list of entries. Throws ClientsFileError naming `source`, the entry (index and
 * name) and the field; returns the entries and the warnings to log.
 */
export function parseClientsFile(text: string, source = 'HUB_CLIENTS_FILE'): ClientsFile {
  let document: unknown;
  try {
    document = parse(text);
  } catch (e) {
    // The parser's message quotes the line, which may hold a key: only its position is kept.
    const at = (e as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new ClientsFileError(source, `not YAML or JSON${at ? ` (line ${at.line}, column ${at.col})` : ''}`);
  }
  if (!isObject(document) || !Array.isArray(document.clients)) throw new ClientsFileError(source, 'clients: a list of clients is required at the top level');
  const unknown = unknownFields(document, ['clients']);
  if (unknown.length) throw new ClientsFileError(source, `${unknown.join(', ')}: unknown field (the file holds only clients:)`);

  const warnings: string[] = [];
  const clients = document.clients.map((raw, index) => {
    const name = isObject(raw) && typeof raw.name === 'string' && NAME.test(raw.name) ? ` (${raw.name})` : '';
    const label = `clients[${index}]${name}`;
    const entry = readEntry(raw, label, warnings);
    if (typeof entry === 'string') throw new ClientsFileError(source, `${label}: ${entry}`);
    return entry;
  });
  const duplicate = duplicateProblem(clients);
  if (duplicate) throw new ClientsFileError(source, duplicate);
  return { clients, warnings };
}

/** Reads and parses HUB_CLIENTS_FILE at `path`: messages start with "HUB_CLIENTS_FILE (<path>)". */
export function readClientsFile(path: string): ClientsFile {
  const source = `HUB_CLIENTS_FILE (${path})`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClientsFileError(source, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseClientsFile(text, source);
}

/**
 * HUB_API_KEYS as it always worked: each key a client with the admin role, named `api-key-<n>`
 * (counting from 1, in the list's order), never after the key.
 */
export function apiKeyClients(keys: readonly string[]): ClientEntry[] {
  return keys.map((key, index) => ({ label: `HUB_API_KEYS[${index}]`, name: `api-key-${index + 1}`, roles: ['admin'], quota: {}, keySha256: sha256Hex(key) }));
}
