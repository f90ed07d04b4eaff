// tmf688-hub extension: the event schema registry (/schema) and validation at publish
// (Topic.schemaValidation). Applied by build-from-swagger.mjs; kept apart so the generator's own
// conversion stays readable.

export const SCHEMA_TAG = 'schema registry (tmf688-hub extension)';

const MODES = ['off', 'warn', 'enforce', 'strict'];
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/**
 * Adds the registry's paths and schemas to `paths` and `schemas` (mutated), and returns its tag.
 * `helpers` are the generator's own: ref, json, errorResponse, pathParam, pageParams, filterParam,
 * countHeaders, locationHeader.
 */
export function addSchemaRegistry({ paths, schemas }, { ref, json, errorResponse, pageParams, filterParam, countHeaders, locationHeader }) {
  for (const name of ['Topic', 'Topic_Create']) {
    schemas[name].properties.schemaValidation = {
      type: 'string',
      enum: MODES,
      description:
        'tmf688-hub extension: what publishing does with an event whose eventType has a registered schema (see /schema). ' +
        'off: nothing; warn: accepted, with an X-Schema-Warning header saying why it does not conform; enforce: a 400 naming ' +
        'the first failing JSON path and rule; strict: enforce, and events of types without a schema are refused too. ' +
        'Absent: HUB_SCHEMA_VALIDATION (default off).',
    };
  }
  const created = paths['/topic/{topicId}/event'].post.responses['201'];
  created.headers = {
    ...created.headers,
    'X-Schema-Warning': {
      description:
        'tmf688-hub extension: present when the topic validates with schemaValidation=warn and the event does not conform to the ' +
        'schema of its eventType: the first failing JSON path and rule. The event was stored and is delivered all the same.',
      schema: { type: 'string' },
    },
  };
  paths['/topic/{topicId}/event'].post.responses['400'].description += ' (also: the event does not conform to the schema of its eventType, when the topic enforces it)';
  const eventType = {
    name: 'eventType',
    in: 'path',
    required: true,
    description: 'The eventType the schema describes, e.g. AlarmCreateEvent: a letter, then letters, digits, _ . : or -, at most 128.',
    schema: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.:-]{0,127}$' },
  };
  const compatibility = {
    name: 'compatibility',
    in: 'query',
    required: false,
    description:
      'backward (default): the new version must accept every event the latest accepts and keep every declared attribute, else 409 ' +
      'naming each breaking change by JSON path; none: register anyway, on purpose.',
    schema: { type: 'string', enum: ['backward', 'none'] },
  };
  const fields = { name: 'fields', in: 'query', required: false, description: 'Comma-separated attributes to keep', schema: { type: 'string' } };
  const tags = [SCHEMA_TAG];

  schemas.EventSchema = {
    type: 'object',
    description: 'One version of the JSON Schema of an event type.',
    required: ['id', 'href', 'eventType', 'version', 'createdAt', '@type'],
    properties: {
      id: { type: 'string', description: 'The version, as a string (unique within the event type).' },
      href: { type: 'string' },
      eventType: { type: 'string' },
      version: { type: 'integer', minimum: 1 },
      createdAt: { type: 'string', format: 'date-time' },
      fingerprint: { type: 'string', description: 'SHA-256 of the schema with its keys sorted: equal schemas, equal fingerprints.' },
      comment: { type: 'string', description: 'Where an imported schema came from.' },
      schema: { type: 'object', description: 'The JSON Schema (draft-07; $defs allowed), self-contained.' },
      '@type': { type: 'string' },
    },
    additionalProperties: false,
  };
  schemas.EventSchemaType = {
    type: 'object',
    description: 'An event type with registered schemas.',
    required: ['id', 'href', 'eventType', 'createdAt', '@type'],
    properties: {
      id: { type: 'string', description: 'The eventType.' },
      href: { type: 'string' },
      eventType: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time', description: 'When its first version was registered.' },
      latestVersion: { type: 'integer', minimum: 1 },
      '@type': { type: 'string' },
    },
    additionalProperties: false,
  };
  const typeVersion = { type: 'object', required: ['eventType', 'version'], properties: { eventType: { type: 'string' }, version: { type: 'integer' } }, additionalProperties: false };
  schemas.SchemaImportResult = {
    type: 'object',
    description: 'What an import did with each notification definition (`<Name>Event` whose `event` refers to a payload definition) of the document.',
    required: ['source', 'created', 'unchanged', 'refused'],
    properties: {
      source: { type: 'string', description: 'info.title and info.version of the document.' },
      created: { type: 'array', items: typeVersion, description: 'New versions registered.' },
      unchanged: { type: 'array', items: typeVersion, description: 'Types whose latest version already is this schema.' },
      refused: {
        type: 'array',
        description: 'Definitions not registered: an incompatible change, or a schema that cannot be resolved or compiled.',
        items: { type: 'object', required: ['eventType', 'reason'], properties: { eventType: { type: 'string' }, reason: { type: 'string' } }, additionalProperties: false },
      },
    },
    additionalProperties: false,
  };
  schemas.SchemaValidationFailure = {
    type: 'object',
    description: 'An event that did not conform to its schema when it was published through this hub process.',
    required: ['id', 'at', 'topicId', 'mode', 'outcome', 'path', 'rule', 'message', '@type'],
    properties: {
      id: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
      topicId: { type: 'string' },
      eventType: { type: 'string' },
      eventId: { type: 'string' },
      version: { type: 'integer', description: 'The schema version it was checked against.' },
      mode: { type: 'string', enum: MODES.slice(1) },
      outcome: { type: 'string', enum: ['accepted', 'refused'] },
      path: { type: 'string', description: 'JSONPath of the first failing value, e.g. $.event.alarm.perceivedSeverity' },
      rule: { type: 'string', description: 'The JSON Schema keyword that failed: type, required, enum, ...' },
      message: { type: 'string' },
      '@type': { type: 'string' },
    },
    additionalProperties: false,
  };

  paths['/schema'] = {
    get: {
      operationId: 'listSchemaType',
      summary: 'List the event types that have a registered schema, with their latest version',
      tags,
      parameters: [fields, ...pageParams, { ...filterParam, description: 'TMF630 filters, e.g. eventType.regex=^Alarm' }],
      responses: {
        200: { description: 'Success', headers: countHeaders, content: json({ type: 'array', items: ref('EventSchemaType') }) },
        400: errorResponse('Bad Request'),
      },
    },
  };
  paths['/schema/import'] = {
    post: {
      operationId: 'importSchema',
      summary: 'Register every notification schema (`*Event` definition) of a TM Forum API document',
      description:
        'The body is a Swagger 2.0 or OpenAPI 3 document, as JSON (application/json) or YAML (application/yaml). Each `<Name>Event` ' +
        'definition whose `event` property refers to a payload definition becomes a new version of the event type <Name>Event, with ' +
        'every $ref resolved into the schema ($defs). Importing the same document again creates nothing.',
      tags,
      parameters: [compatibility],
      requestBody: {
        // Declared optional only because a YAML body is text that request validation cannot see; an empty body is a 400 all the same.
        required: false,
        description: 'The API document (required: an empty body is a 400).',
        content: {
          // What the hub reads of the document: Swagger 2.0 definitions or OpenAPI 3 components.schemas.
          ...json({
            type: 'object',
            anyOf: [
              { required: ['swagger', 'definitions'], properties: { swagger: { type: 'string' }, definitions: { type: 'object' } } },
              {
                required: ['openapi', 'components'],
                properties: { openapi: { type: 'string' }, components: { type: 'object', required: ['schemas'], properties: { schemas: { type: 'object' } } } },
              },
            ],
          }),
          ...Object.fromEntries(YAML_TYPES.map((type) => [type, { schema: { type: 'string' } }])),
        },
      },
      responses: {
        200: { description: 'What was created, unchanged or refused', content: json(ref('SchemaImportResult')) },
        400: errorResponse('Bad Request: not a Swagger 2.0 / OpenAPI 3 document, or not JSON nor YAML'),
      },
    },
  };
  paths['/schema/{eventType}'] = {
    post: {
      operationId: 'registerSchema',
      summary: 'Register a JSON Schema as the next version of an event type',
      tags,
      parameters: [eventType, compatibility],
      requestBody: {
        required: true,
        description:
          'The JSON Schema (draft-07) of the whole event (eventType, event, ...). It must compile: a schema its meta-schema refuses (a keyword of the wrong type, such as `else: 1`), or one with a $ref outside itself, is a 400 Invalid schema naming the reason.',
        content: json({ type: 'object' }),
      },
      responses: {
        201: { description: 'A new version', headers: locationHeader, content: json(ref('EventSchema')) },
        200: { description: 'The schema is the latest version already: nothing new was stored', content: json(ref('EventSchema')) },
        400: errorResponse('Bad Request: not a JSON Schema, or one that refers outside itself'),
        409: errorResponse('Conflict: not backward compatible with the latest version (the message names each breaking change)'),
      },
    },
    get: {
      operationId: 'listSchemaVersion',
      summary: 'List the versions of an event type, oldest first',
      tags,
      parameters: [eventType, fields, ...pageParams, { ...filterParam, description: 'TMF630 filters, e.g. version.gte=2' }],
      responses: {
        200: { description: 'Success', headers: countHeaders, content: json({ type: 'array', items: ref('EventSchema') }) },
        400: errorResponse('Bad Request'),
        404: errorResponse('Not Found: the event type has no schema'),
      },
    },
    delete: {
      operationId: 'deleteSchemaType',
      summary: 'Delete an event type and every version of its schema',
      tags,
      parameters: [eventType],
      responses: { 204: { description: 'Deleted' }, 404: errorResponse('Not Found: the event type has no schema') },
    },
  };
  paths['/schema/{eventType}/{version}'] = {
    get: {
      operationId: 'retrieveSchema',
      summary: 'Retrieve one version of an event type schema (`latest` for the newest)',
      tags,
      parameters: [
        eventType,
        { name: 'version', in: 'path', required: true, description: 'A version number, or latest', schema: { type: 'string', pattern: '^([1-9][0-9]{0,8}|latest)$' } },
        fields,
      ],
      responses: {
        200: { description: 'Success', content: json(ref('EventSchema')) },
        400: errorResponse('Bad Request'),
        404: errorResponse('Not Found'),
      },
    },
  };
  paths['/schemaValidationFailure'] = {
    get: {
      operationId: 'listSchemaValidationFailure',
      summary: 'The latest events that did not conform to their schema when published through this hub process, newest first',
      tags,
      parameters: [fields, ...pageParams, { ...filterParam, description: 'TMF630 filters, e.g. eventType=AlarmCreateEvent or outcome=refused' }],
      responses: {
        200: { description: 'Success', headers: countHeaders, content: json({ type: 'array', items: ref('SchemaValidationFailure') }) },
        400: errorResponse('Bad Request'),
      },
    },
  };
  return { name: SCHEMA_TAG, description: 'Event schema registry and validation at publish; not part of TMF688.' };
}
