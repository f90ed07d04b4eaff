import { loadOpenApiDocument } from '../../src/http/contract-document';
import {
  allowsAdditionalProperties,
  declaredProperties,
  operationsOf,
  propertySchema,
  requiredAttributes,
  requiredForProjection,
  resolveRef,
  resourceSchema,
  resourceSchemasByOperation,
  successResponseSchema,
  type OpenApiDocumentLike,
} from '../../src/http/response-schemas';

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

/** A small document exercising every shape the functions follow: $ref chains, arrays, allOf, no body. */
const DOC: OpenApiDocumentLike = {
  paths: {
    '/thing': {
      get: { operationId: 'listThing', responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/Thing' } }), '400': json({ $ref: '#/components/schemas/Error' }) } },
      post: { operationId: 'createThing', responses: { '400': json({ $ref: '#/components/schemas/Error' }), '201': json({ $ref: '#/components/schemas/Alias' }) } },
    },
    '/thing/{id}': {
      parameters: [],
      get: { operationId: 'retrieveThing', responses: { '200': { $ref: '#/components/responses/OneThing' } } },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'gone' } } },
      patch: { operationId: 'patchThing', responses: { '200': json({ $ref: '#/components/schemas/Mixed' }) } },
    },
    '/loop': { get: { operationId: 'loop', responses: { '200': json({ $ref: '#/components/schemas/Loop' }) } } },
    '/text': { get: { operationId: 'text', responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  },
  components: {
    responses: { OneThing: json({ $ref: '#/components/schemas/Thing' }) },
    schemas: {
      Thing: { type: 'object', required: ['id', 'name'], properties: { id: {}, name: {}, size: {} } },
      Alias: { $ref: '#/components/schemas/Thing' },
      Closed: { type: 'object', required: ['kind'], properties: { kind: {} }, additionalProperties: false },
      Mixed: { allOf: [{ $ref: '#/components/schemas/Thing' }, { $ref: '#/components/schemas/Closed' }], required: ['extra'], properties: { extra: {} } },
      Loop: { $ref: '#/components/schemas/Loop' },
      Error: { type: 'object', required: ['code'], properties: { code: {} } },
      'a/b~c': { type: 'string' },
    },
  },
};
const schemas = (DOC.components as { schemas: Record<string, Record<string, unknown>> }).schemas;

describe('response-schemas', () => {
  it.each([
    ['a local $ref', { $ref: '#/components/schemas/Thing' }, schemas.Thing],
    ['a chain of $ref', { $ref: '#/components/schemas/Alias' }, schemas.Thing],
    ['escaped pointer tokens (~1 and ~0)', { $ref: '#/components/schemas/a~1b~0c' }, schemas['a/b~c']],
    ['a schema without $ref (as given)', schemas.Closed, schemas.Closed],
    ['a cycle of $ref', { $ref: '#/components/schemas/Loop' }, undefined],
    ['a missing target', { $ref: '#/components/schemas/Nope' }, undefined],
    ['a remote $ref', { $ref: 'other.json#/x' }, undefined],
    ['a non-object', 'text', undefined],
  ])('resolveRef should follow %s', (_case, node, expected) => {
    expect(resolveRef(DOC, node)).toBe(expected);
  });

  it('operationsOf should list every operation with its method and path, skipping non-operation keys', () => {
    expect(operationsOf(DOC).map((o) => `${o.method} ${o.path} ${o.operationId}`)).toEqual([
      'get /thing listThing',
      'post /thing createThing',
      'get /thing/{id} retrieveThing',
      'delete /thing/{id} deleteThing',
      'patch /thing/{id} patchThing',
      'get /loop loop',
      'get /text text',
    ]);
  });

  it.each([
    ['a list (array body)', 'listThing', { type: 'array', items: { $ref: '#/components/schemas/Thing' } }, schemas.Thing],
    ['a create (lowest 2xx, through a $ref chain)', 'createThing', schemas.Thing, schemas.Thing],
    ['a response object by $ref', 'retrieveThing', schemas.Thing, schemas.Thing],
    ['a 204 (no body)', 'deleteThing', undefined, undefined],
    ['a body that is not JSON', 'text', undefined, undefined],
    ['an unknown operation', 'nope', undefined, undefined],
    ['a body whose $ref loops', 'loop', undefined, undefined],
  ])('successResponseSchema and resourceSchema should resolve %s', (_case, operationId, body, resource) => {
    expect(successResponseSchema(DOC, operationId)).toEqual(body);
    expect(resourceSchema(DOC, operationId)).toBe(resource);
  });

  it.each([
    ['Thing', schemas.Thing, ['id', 'name'], ['id', 'name', 'size'], true],
    ['Closed', schemas.Closed, ['kind'], ['kind'], false],
    ['Mixed (allOf of Thing and Closed, with its own)', schemas.Mixed, ['extra', 'id', 'name', 'kind'], ['extra', 'id', 'name', 'size', 'kind'], false],
    ['a schema with neither', { type: 'object' }, [], [], true],
  ])('%s: required, declared properties, additional properties', (_case, schema, required, properties, additional) => {
    expect(requiredAttributes(DOC, schema)).toEqual(required);
    expect(declaredProperties(DOC, schema)).toEqual(properties);
    expect(allowsAdditionalProperties(DOC, schema)).toBe(additional);
  });

  it.each([
    ['a property of the schema itself', schemas.Thing, 'name', {}],
    ['a property declared by an allOf part, $ref followed', schemas.Mixed, 'kind', {}],
    ['a property of its own beside allOf', schemas.Mixed, 'extra', {}],
    ['an undeclared property', schemas.Thing, 'nope', undefined],
    ['an inherited Object member', schemas.Thing, 'constructor', undefined],
  ])('propertySchema should resolve %s', (_case, schema, name, expected) => {
    expect(propertySchema(DOC, schema, name)).toEqual(expected);
  });

  const owned = {
    type: 'object',
    required: ['owner'],
    properties: { owner: { $ref: '#/components/schemas/Closed' }, tags: { type: 'array', items: { $ref: '#/components/schemas/Alias' } }, note: { type: 'string' } },
  };
  it.each([
    ['no fields', [], ['owner']],
    ['a top-level field', ['note'], ['owner']],
    ['a whole object', ['owner'], ['owner']],
    ['a path into a $ref object', ['owner.kind'], ['owner', 'owner.kind']],
    ['a path through an array of a $ref chain', ['tags.size'], ['owner', 'tags.id', 'tags.name']],
    ['a path into a string', ['note.x'], ['owner']],
    ['an undeclared path', ['nope.x.y'], ['owner']],
  ])('requiredForProjection with %s', (_case, fields, expected) => {
    expect(requiredForProjection(DOC, owned, fields)).toEqual(expected);
  });

  it('resourceSchemasByOperation should map each operation answering resources to its resource schema', () => {
    expect(Object.fromEntries(resourceSchemasByOperation(DOC))).toEqual({
      listThing: schemas.Thing,
      createThing: schemas.Thing,
      retrieveThing: schemas.Thing,
      patchThing: schemas.Mixed,
    });
  });

  describe('over the bundled document', () => {
    const bundled = loadOpenApiDocument();
    const schemasByOperation = resourceSchemasByOperation(bundled);
    const keptFor = (operationId: string, fields: string[]) => requiredForProjection(bundled, schemasByOperation.get(operationId)!, fields);

    it.each([
      ['retrieveHub', ['query'], ['callback', 'id']],
      ['listHub', ['id'], ['callback', 'id']],
      ['createHub', [], ['callback', 'id']],
      ['retrieveListener', ['query'], ['id', 'callback']],
      ['registerListener', [], ['id', 'callback']],
      ['retrieveTopic', ['name'], []],
      ['listEvent', ['eventType'], []],
      ['listEvent', ['event.order.id'], []],
      ['retrieveEvent', ['source.name'], ['source.id']],
      ['retrieveEvent', ['relatedParty.name', 'reportingSystem'], ['relatedParty.@referredType', 'relatedParty.id']],
      ['retrieveEvent', ['analyticCharacteristic.valueType'], ['analyticCharacteristic.name', 'analyticCharacteristic.value']],
      ['retrieveEvent', ['nope.deeper', 'source.nope.deeper'], ['source.id']],
      ['listInboxEntry', ['headers'], ['id', 'name', 'receivedAt', 'notification']],
      ['listTopicCreateEventReceived', ['headers'], ['id', 'name', 'receivedAt', 'notification']],
      ['listenToTopicCreateEvent', [], ['id', 'name', 'receivedAt', 'notification']],
    ])('%s with fields %j should keep %j', (operationId, fields, expected) => {
      expect(keptFor(operationId, fields)).toEqual(expected);
    });

    it.each(['deleteHub', 'deleteTopic', 'unregisterListener', 'clearInbox', 'streamEvent'])('%s answers no JSON resource', (operationId) => {
      expect(schemasByOperation.has(operationId)).toBe(false);
    });

    it('should see the properties of Hub and that it allows extension attributes', () => {
      const hub = resourceSchema(bundled, 'retrieveHub')!;
      expect(declaredProperties(bundled, hub)).toEqual(expect.arrayContaining(['id', 'href', 'callback', 'query', '@type']));
      expect(allowsAdditionalProperties(bundled, hub)).toBe(true);
      expect(propertySchema(bundled, hub, 'callback')).toMatchObject({ type: 'string' });
    });
  });
});
