import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { BadRequestError } from '../errors';
import { longerThan } from '../text/character-count';
import { depthExceeds, MAX_DEPTH } from '../text/nesting-depth';
import { canonicalJson } from './schema-compatibility';

/**
 * The rules a manifest is held to (docs/oda.md). The contract states the same ones for JSON bodies
 * (openapi/oda-component-extension.mjs; test/unit/oda-manifest.test.ts holds the two together), and
 * this module applies them to YAML bodies too, which request validation cannot see.
 */
export const ODA_MANIFEST_RULES = {
  apiVersion: 'oda.tmforum.org/v1',
  kind: 'Component',
  /** A Kubernetes object name (RFC 1123 subdomain): what metadata.name and the path's {name} are. */
  namePattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  nameMaxLength: 253,
  /** A Kubernetes namespace or service name (RFC 1123 label): metadata.namespace, an entry's implementation. */
  labelPattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  labelMaxLength: 63,
  entryNameMaxLength: 256,
  callbackMaxLength: 2048,
  queryMaxLength: 4096,
  maxEntries: 500,
} as const;

/** metadata.namespace when the manifest has none, as kubectl applies it. */
export const DEFAULT_NAMESPACE = 'default';

export interface OdaPublishedEntry {
  name: string;
}

export interface OdaSubscribedEntry {
  name: string;
  callback?: string;
  query?: string;
  port?: number;
  implementation?: string;
}

/** What the wiring reads of a Component manifest; everything else in it is accepted and ignored. */
export interface OdaManifest {
  name: string;
  namespace: string;
  published: OdaPublishedEntry[];
  subscribed: OdaSubscribedEntry[];
  /** sha256 of the whole manifest (keys sorted): the same manifest in YAML or JSON has the same digest. */
  digest: string;
}

const NAME = new RegExp(ODA_MANIFEST_RULES.namePattern);
const LABEL = new RegExp(ODA_MANIFEST_RULES.labelPattern);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const refuse = (message: string): never => {
  throw new BadRequestError(message, 'Invalid manifest');
};

/**
 * The manifest of PUT /odaComponent/{name}: `body` is the parsed JSON, or the YAML text. Throws a
 * 400 `Invalid manifest` naming the first attribute that breaks a rule, so that nothing is applied
 * from a manifest that is not one.
 */
export function parseOdaManifest(body: unknown, name: string): OdaManifest {
  const manifest = typeof body === 'string' ? parseYamlManifest(body) : body;
  if (!isObject(manifest)) return refuse('The body must be an ODA Component manifest: a mapping with apiVersion, kind, metadata and spec');
  const { apiVersion, kind, metadata, spec } = manifest;
  if (apiVersion !== ODA_MANIFEST_RULES.apiVersion) refuse(`apiVersion: must be ${ODA_MANIFEST_RULES.apiVersion}, got ${JSON.stringify(apiVersion)}`);
  if (kind !== ODA_MANIFEST_RULES.kind) refuse(`kind: must be ${ODA_MANIFEST_RULES.kind}, got ${JSON.stringify(kind)}`);
  if (!isObject(metadata)) return refuse('metadata: must be a mapping with the name of the component');
  const metadataName = kubernetesName(metadata.name, 'metadata.name', NAME, ODA_MANIFEST_RULES.nameMaxLength);
  if (metadataName !== name) refuse(`metadata.name: ${JSON.stringify(metadataName)} is not the component of the path, ${JSON.stringify(name)}`);
  const namespace = metadata.namespace === undefined ? DEFAULT_NAMESPACE : kubernetesName(metadata.namespace, 'metadata.namespace', LABEL, ODA_MANIFEST_RULES.labelMaxLength);
  if (!isObject(spec)) return refuse('spec: must be a mapping (the component description)');
  const events = spec.eventNotification ?? undefined;
  if (events !== undefined && !isObject(events)) refuse('spec.eventNotification: must be a mapping');
  const { publishedEvents, subscribedEvents } = (events ?? {}) as Record<string, unknown>;
  return {
    name,
    namespace,
    published: entries(publishedEvents, 'publishedEvents').map((entry) => ({ name: entry.name as string })),
    subscribed: entries(subscribedEvents, 'subscribedEvents').map((entry, index) => subscribedEntry(entry, `spec.eventNotification.subscribedEvents[${index}]`)),
    digest: `sha256:${createHash('sha256').update(canonicalJson(manifest)).digest('hex')}`,
  };
}

function parseYamlManifest(text: string): unknown {
  let parsed: unknown;
  try {
    // One document; aliases stay bounded (the library's default), so a small body cannot expand.
    parsed = parseYaml(text, { prettyErrors: false });
  } catch (err) {
    return refuse(`The body is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  // As for JSON bodies (read-json-body.ts): the digest and the checks below recurse.
  if (depthExceeds(parsed, MAX_DEPTH)) refuse(`The body nests deeper than ${MAX_DEPTH} levels`);
  return parsed;
}

function kubernetesName(value: unknown, at: string, pattern: RegExp, max: number): string {
  if (typeof value !== 'string' || longerThan(value, max) || !pattern.test(value)) {
    refuse(`${at}: must be a Kubernetes name (lower-case letters, digits and -, at most ${max} characters), got ${JSON.stringify(value)}`);
  }
  return value as string;
}

/** The entries of one list (null or absent: none), each a mapping with a name. */
function entries(list: unknown, key: string): Array<Record<string, unknown>> {
  const at = `spec.eventNotification.${key}`;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return refuse(`${at}: must be a list`);
  if (list.length > ODA_MANIFEST_RULES.maxEntries) refuse(`${at}: at most ${ODA_MANIFEST_RULES.maxEntries} entries`);
  return list.map((entry, index) => {
    if (!isObject(entry)) return refuse(`${at}[${index}]: must be a mapping with a name`);
    const { name } = entry;
    if (typeof name !== 'string' || name === '' || longerThan(name, ODA_MANIFEST_RULES.entryNameMaxLength)) {
      refuse(`${at}[${index}].name: must be a topic name of 1 to ${ODA_MANIFEST_RULES.entryNameMaxLength} characters`);
    }
    return entry;
  });
}

function subscribedEntry(entry: Record<string, unknown>, at: string): OdaSubscribedEntry {
  const { name, callback, query, port, implementation } = entry;
  // An empty query is no query (every event), as on a hub; an empty callback names nothing.
  const text = (value: unknown, attribute: string, min: number, max: number): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length < min || longerThan(value, max)) refuse(`${at}.${attribute}: must be a text of ${min} to ${max} characters`);
    return value === '' ? undefined : (value as string);
  };
  if (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)) refuse(`${at}.port: must be an integer from 1 to 65535`);
  if (implementation !== undefined) kubernetesName(implementation, `${at}.implementation`, LABEL, ODA_MANIFEST_RULES.labelMaxLength);
  return {
    name: name as string,
    ...optional('callback', text(callback, 'callback', 1, ODA_MANIFEST_RULES.callbackMaxLength)),
    ...optional('query', text(query, 'query', 0, ODA_MANIFEST_RULES.queryMaxLength)),
    ...optional('port', port as number | undefined),
    ...optional('implementation', implementation as string | undefined),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
