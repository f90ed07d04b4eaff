import {
  allowsAdditionalProperties,
  declaredProperties,
  operationsOf,
  propertySchema,
  resolveRef,
  resourceSchema,
  successResponseSchema,
  type OpenApiDocumentLike,
  type SchemaObject,
} from './response-schemas';

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
  doc: OpenApiDocumentLike,
  computed: Readonly<Record<string, readonly string[]>> = {},
): Map<string, FilterableAttributes> {
  const rules = new Map<string, FilterableAttributes>();
  const operations = operationsOf(doc);
  for (const { operationId, method, path } of operations) {
    if (method !== 'get' || successResponseSchema(doc, operationId)?.type !== 'array') continue;
    const shown = resourceSchema(doc, operationId) ?? {};
    const create = operations.find((o) => o.path === path && o.method === 'post');
    const accepted = create ? resolveRef(doc, (create.operation as { requestBody?: { content?: Record<string, { schema?: unknown }> } }).requestBody?.content?.['application/json']?.schema) : undefined;
    const shownNames = new Set(declaredProperties(doc, shown));
    const hidden = new Set((accepted ? declaredProperties(doc, accepted) : []).filter((name) => !shownNames.has(name)));
    const alsoComputed = new Set([...COMPUTED, ...(computed[operationId] ?? [])]);
    rules.set(operationId, {
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

/** Follows the path through the schema: a closed object must declare each segment, none write-only; arrays are looked through. */
function walk(doc: OpenApiDocumentLike, schema: SchemaObject, path: readonly string[]): string | undefined {
  let current: SchemaObject | undefined = schema;
  for (const segment of path) {
    while (current?.type === 'array') current = resolveRef(doc, current.items);
    if (!current || declaredProperties(doc, current).length === 0) return undefined;
    const next = propertySchema(doc, current, segment);
    if (!next) return allowsAdditionalProperties(doc, current) ? undefined : 'no such attribute is shown';
    // A write-only part of a shown attribute (auth.token, tls.privateKey) is as hidden as a write-only attribute.
    if (next.writeOnly === true) return 'it is never shown';
    current = next;
  }
  return undefined;
}
