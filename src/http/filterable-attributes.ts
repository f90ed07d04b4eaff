import type { Document } from 'openapi-backend';

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
};

/** Decides which attribute paths a list operation may filter on; undefined means allowed. */
export interface FilterableAttributes {
  refusal(path: readonly string[]): string | undefined;
}

/** Shown in every answer but computed on the way out, so a filter on it could never match. */
const COMPUTED = new Set(['href']);

/**
 * The attributes each list operation may filter on, derived from the contract: what its response
 * items show. A TMF resource schema that admits extension attributes keeps them filterable (clients
 * stored them), except attributes its create operation accepts and its response never shows
 * (write-only ones, such as a hub's `secret`): those are the ones a filter must not let anyone probe.
 * Schemas the hub fills itself (additionalProperties: false) allow their declared attributes only.
 */
export function filterableAttributesByOperation(
  doc: Document,
  computed: Readonly<Record<string, readonly string[]>> = {},
): Map<string, FilterableAttributes> {
  const rules = new Map<string, FilterableAttributes>();
  for (const item of Object.values(doc.paths ?? {})) {
    const list = (item as Record<string, any>)?.get;
    const items = list && resolve(doc, list.responses?.['200']?.content?.['application/json']?.schema);
    if (!list?.operationId || !items || items.type !== 'array' || !items.items) continue;
    const shown = resolve(doc, items.items);
    const create = resolve(doc, (item as Record<string, any>).post?.requestBody?.content?.['application/json']?.schema);
    const hidden = new Set(Object.keys(create?.properties ?? {}).filter((name) => !shown.properties?.[name]));
    const alsoComputed = new Set([...COMPUTED, ...(computed[list.operationId] ?? [])]);
    rules.set(list.operationId, {
      refusal: (attributePath) => {
        const [first] = attributePath;
        if (hidden.has(first)) return 'it is never shown';
        if (alsoComputed.has(first)) return 'it is computed for the answer, not stored';
        return walk(doc, shown, attributePath);
      },
    });
  }
  return rules;
}

/** Follows the path through the schema: a closed object must declare each segment; arrays are looked through. */
function walk(doc: Document, schema: Schema, path: readonly string[]): string | undefined {
  let current: Schema | undefined = schema;
  for (const segment of path) {
    while (current?.type === 'array' && current.items) current = resolve(doc, current.items);
    if (!current?.properties) return undefined;
    const next: Schema | undefined = current.properties[segment];
    if (next) {
      current = resolve(doc, next);
      continue;
    }
    return current.additionalProperties === false ? 'no such attribute is shown' : undefined;
  }
  return undefined;
}

/** A schema with its $ref followed and allOf merged (properties and closedness). */
function resolve(doc: Document, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    return resolve(doc, (doc.components?.schemas as Record<string, Schema> | undefined)?.[name]);
  }
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part) => resolve(doc, part));
  return {
    ...schema,
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), schema.properties ?? {}),
    additionalProperties: parts.some((p) => p.additionalProperties === false) ? false : schema.additionalProperties,
  };
}
