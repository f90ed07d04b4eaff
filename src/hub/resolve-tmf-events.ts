import { parse as parseYaml } from 'yaml';
import { BadRequestError } from '../errors';

/** A JSON Schema as stored and compiled: plain JSON. */
export type JsonSchema = Record<string, unknown>;

/** One notification schema found in a TM Forum API document, self-contained. */
export interface ResolvedEventSchema {
  eventType: string;
  schema: JsonSchema;
}

export interface ResolvedDocument {
  /** `info.title` and `info.version` of the document, e.g. "Alarm Management" / "4.0.0". */
  source: string;
  events: ResolvedEventSchema[];
  /** `*Event` definitions that could not be turned into a schema, and why. */
  refused: Array<{ eventType: string; reason: string }>;
}

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/**
 * Keywords of Swagger 2.0 / OpenAPI 3 schemas that are not JSON Schema (or mean something else there):
 * dropped, so that what is stored is plain draft-07 JSON Schema that ajv compiles in strict mode.
 * `readOnly`, `writeOnly`, `deprecated`, `title`, `description` and `default` are JSON Schema annotations and stay.
 */
const NOT_JSON_SCHEMA = new Set(['discriminator', 'example', 'examples', 'xml', 'externalDocs', 'nullable', 'collectionFormat']);

/** Parses a TM Forum API document given as JSON or YAML text. */
export function parseApiDocument(text: string): Record<string, unknown> {
  const trimmed = text.trimStart();
  let parsed: unknown;
  try {
    parsed = trimmed.startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new BadRequestError(`The document is neither valid JSON nor valid YAML: ${(err as Error).message.split('\n')[0]}`, 'Invalid document');
  }
  if (!isObject(parsed)) throw new BadRequestError('The document must be a JSON or YAML object (a Swagger 2.0 or OpenAPI 3 document)', 'Invalid document');
  return parsed;
}

/**
 * The notification schemas of a Swagger 2.0 (`definitions`) or OpenAPI 3 (`components.schemas`)
 * document: every definition named `<Name>Event` whose `event` property (directly or through allOf)
 * refers to another definition, as TM Forum APIs declare them (`event` -> `<Name>EventPayload` -> the
 * resource). Generic bases such as `Event` or `BaseEvent`, whose `event` is a plain object, are not
 * notifications. Each schema is self-contained: every definition it reaches is copied once under
 * `$defs` and every `$ref` points there, so recursive models (a resource that refers to itself) work.
 */
export function resolveTmfEvents(doc: Record<string, unknown>): ResolvedDocument {
  const { definitions, prefix } = definitionsOf(doc);
  const info = isObject(doc.info) ? doc.info : {};
  const source = [info.title, info.version].filter((v) => typeof v === 'string' || typeof v === 'number').join(' ') || 'an API document';
  const events: ResolvedEventSchema[] = [];
  const refused: ResolvedDocument['refused'] = [];
  for (const name of Object.keys(definitions).filter((n) => n.endsWith('Event')).sort()) {
    if (!isNotification(definitions, prefix, name)) continue;
    try {
      events.push({ eventType: name, schema: selfContained(definitions, prefix, name, source) });
    } catch (err) {
      if (!(err instanceof DanglingRef)) throw err;
      refused.push({ eventType: name, reason: err.message });
    }
  }
  return { source, events, refused };
}

function definitionsOf(doc: Record<string, unknown>): { definitions: Record<string, unknown>; prefix: string } {
  if (typeof doc.swagger === 'string' && isObject(doc.definitions)) return { definitions: doc.definitions, prefix: '#/definitions/' };
  const components = isObject(doc.components) ? doc.components : undefined;
  if (typeof doc.openapi === 'string' && components && isObject(components.schemas)) {
    return { definitions: components.schemas, prefix: '#/components/schemas/' };
  }
  throw new BadRequestError(
    'The document is neither a Swagger 2.0 document with "definitions" nor an OpenAPI 3 document with "components.schemas"',
    'Invalid document',
  );
}

/** Whether `name`'s `event` property, in its own properties or an allOf branch, is a $ref to a definition. */
function isNotification(definitions: Record<string, unknown>, prefix: string, name: string): boolean {
  const seen = new Set<string>();
  const hasEventRef = (schema: unknown): boolean => {
    if (!isObject(schema)) return false;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith(prefix)) {
      const target = schema.$ref.slice(prefix.length);
      if (seen.has(target)) return false;
      seen.add(target);
      return hasEventRef(definitions[target]);
    }
    const event = isObject(schema.properties) ? schema.properties.event : undefined;
    if (isObject(event) && (typeof event.$ref === 'string' || (Array.isArray(event.allOf) && event.allOf.some((b) => isObject(b) && typeof b.$ref === 'string')))) {
      return true;
    }
    return Array.isArray(schema.allOf) && schema.allOf.some(hasEventRef);
  };
  return hasEventRef(definitions[name]);
}

class DanglingRef extends Error {}

function selfContained(definitions: Record<string, unknown>, prefix: string, name: string, source: string): JsonSchema {
  const defs: Record<string, unknown> = {};
  const pending: string[] = [];
  const want = (target: string): string => {
    if (!(target in definitions)) throw new DanglingRef(`it refers to ${prefix}${target}, which the document does not define`);
    if (!(target in defs)) {
      defs[target] = null;
      pending.push(target);
    }
    return `#/$defs/${target}`;
  };
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (NOT_JSON_SCHEMA.has(key) || key.startsWith('x-')) continue;
      if (key === 'enum' || key === 'const' || key === 'default') {
        out[key] = value; // data, not schema
      } else if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith(prefix)) throw new DanglingRef(`it refers to ${value}, outside the document's definitions`);
        out.$ref = want(decodeURIComponent(value.slice(prefix.length)));
      } else if ((key === 'properties' || key === 'patternProperties' || key === 'definitions') && isObject(value)) {
        // Names here are property names, not keywords: keep every one, convert their schemas.
        out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
      } else if (key === 'type' && value === 'file') {
        continue;
      } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        continue; // draft-4 form: folded into minimum/maximum below
      } else if (key === 'required' && Array.isArray(value) && value.length === 0) {
        continue;
      } else {
        out[key] = convert(value);
      }
    }
    // Draft 4 / OpenAPI 3.0: a boolean exclusiveMinimum qualifies minimum; draft-07 makes it the bound itself.
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (node[flag] === true && typeof node[bound] === 'number') {
        out[flag] = node[bound];
        delete out[bound];
      }
    }
    if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
    return out;
  };
  const root = convert(definitions[name]) as JsonSchema;
  while (pending.length) {
    const next = pending.shift()!;
    defs[next] = convert(definitions[next]);
  }
  const { description, ...rest } = root;
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: name,
    ...(description !== undefined ? { description } : {}),
    $comment: `Imported from ${source}, definition ${name}`,
    ...rest,
    ...(Object.keys(defs).length ? { $defs: sortKeys(defs) } : {}),
  };
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
