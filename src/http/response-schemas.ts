/**
 * What the contract says an operation answers with: pure functions over an OpenAPI 3.0 document
 * (the bundled one, as loaded; nothing is dereferenced in place). The hub derives behaviour from
 * these answers once at start (for example the attributes `fields=` can never drop), so the
 * document stays the only place that names them.
 *
 * Only local references (`#/...`) are followed; the bundled document has no other kind. Schemas
 * combined with `allOf` count as one schema: their `required` lists and `properties` are merged.
 */

/** A JSON Schema object as it appears in the document (a boolean schema is not used there). */
export type SchemaObject = Record<string, unknown>;

/** The parts of an OpenAPI document these functions read. */
export interface OpenApiDocumentLike {
  readonly paths?: object;
  readonly components?: object;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isObject = (value: unknown): value is SchemaObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Follows `$ref` (local JSON pointers, chains included) to the schema it names; other nodes come back as given. */
export function resolveRef(doc: OpenApiDocumentLike, node: unknown): SchemaObject | undefined {
  let current = node;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) return undefined;
    seen.add(ref);
    current = ref
      .slice(2)
      .split('/')
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((at, key) => (isObject(at) && Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined), doc);
  }
  return isObject(current) ? current : undefined;
}

/** Every operation of the document with its method and path, in document order. */
export function operationsOf(doc: OpenApiDocumentLike): { operationId: string; method: string; path: string; operation: SchemaObject }[] {
  return Object.entries((doc.paths ?? {}) as Record<string, unknown>).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = isObject(item) ? item[method] : undefined;
      return isObject(operation) && typeof operation.operationId === 'string'
        ? [{ operationId: operation.operationId, method, path, operation }]
        : [];
    }),
  );
}

/**
 * The schema of an operation's success body: the JSON content of its lowest 2xx response, `$ref`
 * followed. Undefined for an unknown operation or one whose success has no JSON body (a 204).
 */
export function successResponseSchema(doc: OpenApiDocumentLike, operationId: string): SchemaObject | undefined {
  const found = operationsOf(doc).find((o) => o.operationId === operationId);
  const responses = resolveRef(doc, found?.operation.responses);
  if (!responses) return undefined;
  const success = Object.keys(responses).filter((code) => /^2\d\d$/.test(code)).sort()[0];
  const response = success === undefined ? undefined : resolveRef(doc, responses[success]);
  const content = isObject(response?.content) ? response.content : undefined;
  return resolveRef(doc, isObject(content?.['application/json']) ? content['application/json'].schema : undefined);
}

/**
 * The schema of one resource an operation answers with: the success body's schema, or its `items`
 * when the body is an array (a list operation).
 */
export function resourceSchema(doc: OpenApiDocumentLike, operationId: string): SchemaObject | undefined {
  const body = successResponseSchema(doc, operationId);
  return body?.type === 'array' ? resolveRef(doc, body.items) : body;
}

/** The schema and every schema it combines with `allOf` (recursively), each `$ref` followed. */
function parts(doc: OpenApiDocumentLike, schema: SchemaObject, seen = new Set<SchemaObject>()): SchemaObject[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const members = Array.isArray(schema.allOf) ? schema.allOf : [];
  return [schema, ...members.flatMap((m) => {
    const resolved = resolveRef(doc, m);
    return resolved ? parts(doc, resolved, seen) : [];
  })];
}

/** The attributes the schema requires (its `required`, merged over `allOf`), without duplicates. */
export function requiredAttributes(doc: OpenApiDocumentLike, schema: SchemaObject): string[] {
  return [...new Set(parts(doc, schema).flatMap((p) => (Array.isArray(p.required) ? p.required.filter((r): r is string => typeof r === 'string') : [])))];
}

/** The attribute names the schema declares in `properties` (merged over `allOf`), in document order. */
export function declaredProperties(doc: OpenApiDocumentLike, schema: SchemaObject): string[] {
  return [...new Set(parts(doc, schema).flatMap((p) => (isObject(p.properties) ? Object.keys(p.properties) : [])))];
}

/**
 * The schema of one declared property (the first part of `allOf` that declares it), `$ref`
 * followed; undefined when the schema does not declare it. Walk a dotted path by calling it per
 * segment (an array's element schema is its `items`).
 */
export function propertySchema(doc: OpenApiDocumentLike, schema: SchemaObject, name: string): SchemaObject | undefined {
  for (const part of parts(doc, schema)) {
    if (isObject(part.properties) && Object.prototype.hasOwnProperty.call(part.properties, name)) return resolveRef(doc, part.properties[name]);
  }
  return undefined;
}

/**
 * Whether the schema accepts attributes it does not declare: true unless it (or a part of its
 * `allOf`) sets `additionalProperties: false`, as JSON Schema defaults to.
 */
export function allowsAdditionalProperties(doc: OpenApiDocumentLike, schema: SchemaObject): boolean {
  return parts(doc, schema).every((p) => p.additionalProperties !== false);
}

/** The schema of an attribute's value as a projection walks it: an array's element schema, else the schema itself. */
function walked(doc: OpenApiDocumentLike, schema: SchemaObject | undefined): SchemaObject | undefined {
  return schema?.type === 'array' ? resolveRef(doc, schema.items) : schema;
}

/**
 * The attribute paths a projection to `fields` (TMF630 `fields=`, dotted paths allowed) must keep
 * for its result to stay valid against `schema`: the schema's required attributes, and for each
 * dotted path the required attributes of every object (or array element) it walks into. On an
 * Event, `source.name` also keeps `source.id` (EntityRef requires id). Paths the schema does not
 * declare add nothing.
 */
export function requiredForProjection(doc: OpenApiDocumentLike, schema: SchemaObject, fields: readonly string[]): string[] {
  const kept = new Set(requiredAttributes(doc, schema));
  for (const field of fields) {
    const segments = field.split('.');
    let current: SchemaObject | undefined = schema;
    for (let depth = 1; depth < segments.length && current; depth++) {
      current = walked(doc, propertySchema(doc, current, segments[depth - 1]));
      const prefix = segments.slice(0, depth).join('.');
      for (const name of current ? requiredAttributes(doc, current) : []) kept.add(`${prefix}.${name}`);
    }
  }
  return [...kept];
}

/** The resource schema (see resourceSchema) of every operation that answers with resources, by operationId. */
export function resourceSchemasByOperation(doc: OpenApiDocumentLike): Map<string, SchemaObject> {
  const out = new Map<string, SchemaObject>();
  for (const { operationId } of operationsOf(doc)) {
    const schema = resourceSchema(doc, operationId);
    if (schema) out.set(operationId, schema);
  }
  return out;
}
