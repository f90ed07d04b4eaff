// tmf688-hub extension: ODA event wiring (/odaComponent/{name}, docs/oda.md). Applied by
// build-from-swagger.mjs; kept apart so the generator's own conversion stays readable. The manifest's
// rules are those of src/hub/oda-manifest.ts (ODA_MANIFEST_RULES), which applies them to YAML bodies
// too; test/unit/oda-manifest.test.ts holds the two together.

export const ODA_TAG = 'ODA event wiring (tmf688-hub extension)';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const NAME = { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' };
const LABEL = { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const MAX_ENTRIES = 500;

/**
 * Adds the ODA wiring's paths and schemas to `paths` and `schemas` (mutated), and returns its tag.
 * `helpers` are the generator's own: ref, json, errorResponse, locationHeader.
 */
export function addOdaComponent({ paths, schemas }, { ref, json, errorResponse, locationHeader }) {
  const tags = [ODA_TAG];
  const entryName = {
    type: 'string',
    minLength: 1,
    maxLength: 256,
    description: 'The topic\'s name; it also identifies the entry (a second entry of the same name is reported unapplied).',
  };
  const list = (items, description) => ({ type: 'array', nullable: true, maxItems: MAX_ENTRIES, items, description });
  schemas.OdaComponentManifest = {
    type: 'object',
    description:
      'An ODA Component manifest (oda.tmforum.org/v1 Component), as kubectl would apply it. Only what the wiring reads is checked: ' +
      'apiVersion, kind, metadata.name (the {name} of the path: a rule between the path and the body that this schema cannot state), ' +
      'metadata.namespace, and spec.eventNotification; every other attribute of a component description is accepted and ignored.',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { type: 'string', enum: ['oda.tmforum.org/v1'] },
      kind: { type: 'string', enum: ['Component'] },
      metadata: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { ...NAME, description: 'The component\'s name: must be the {name} of the path.' },
          namespace: { ...LABEL, description: 'Its Kubernetes namespace, {namespace} of HUB_ODA_CALLBACK_BASE (default: default).' },
        },
      },
      spec: {
        type: 'object',
        properties: {
          eventNotification: {
            type: 'object',
            nullable: true,
            properties: {
              publishedEvents: list(
                { type: 'object', required: ['name'], properties: { name: entryName } },
                'A topic for each entry, named by it: an existing topic of that name is reused (and never deleted by the component), else one is created.',
              ),
              subscribedEvents: list(
                {
                  type: 'object',
                  required: ['name'],
                  properties: {
                    name: entryName,
                    callback: {
                      type: 'string',
                      minLength: 1,
                      maxLength: 2048,
                      description: 'An absolute URL, used as it is, or a path on the component\'s service, resolved against HUB_ODA_CALLBACK_BASE. Without one the entry is reported unapplied.',
                    },
                    query: { type: 'string', maxLength: 4096, description: 'The hub\'s TMF630 query (empty: every event).' },
                    port: { type: 'integer', minimum: 1, maximum: 65535, description: '{port} of HUB_ODA_CALLBACK_BASE.' },
                    implementation: { ...LABEL, description: 'The service receiving the events: {implementation} of HUB_ODA_CALLBACK_BASE (default: metadata.name).' },
                  },
                },
                'A hub owned by the component on the topic of each entry\'s name, delivering to its callback with its query.',
              ),
            },
          },
        },
      },
    },
  };
  const strings = { type: 'array', items: { type: 'string' } };
  const entry = (required, properties) => ({ type: 'object', required, properties, additionalProperties: false });
  schemas.OdaComponent = {
    type: 'object',
    description: 'What an applied ODA Component manifest made: its topics and hubs, and every entry that could not be applied, with the reason.',
    required: ['id', 'href', 'name', 'namespace', 'digest', 'generation', 'createdAt', 'updatedAt', 'publishedEvents', 'subscribedEvents', 'keptTopics', 'unapplied', '@type'],
    properties: {
      id: { type: 'string', description: 'The component\'s name.' },
      href: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string' },
      digest: { type: 'string', description: 'sha256 of the last manifest applied (keys sorted: the same manifest in YAML or JSON has the same digest).' },
      generation: { type: 'integer', minimum: 1, description: 'How many different manifests were applied (1 for the first).' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time', description: 'When an apply last changed what is recorded.' },
      publishedEvents: {
        type: 'array',
        items: entry(['name', 'topicId', 'origin'], {
          name: { type: 'string' },
          topicId: { type: 'string' },
          origin: { type: 'string', enum: ['created', 'reused'], description: 'created: deleted with the component; reused: existed before, left alone.' },
        }),
      },
      subscribedEvents: {
        type: 'array',
        items: entry(['name', 'topicId', 'hubId', 'callback'], {
          name: { type: 'string' },
          topicId: { type: 'string' },
          hubId: { type: 'string', description: 'The hub, owned by odaComponent:<name>.' },
          callback: { type: 'string', description: 'The callback as resolved.' },
          query: { type: 'string' },
        }),
      },
      keptTopics: {
        type: 'array',
        description: 'Topics the component created and no longer declares, left in place because hubs not its own (or another component) use them; no longer the component\'s.',
        items: entry(['name', 'topicId', 'reason'], { name: { type: 'string' }, topicId: { type: 'string' }, reason: { type: 'string' } }),
      },
      unapplied: {
        type: 'array',
        description: 'Entries not applied, with the reason (no topic of the name yet, a callback refused, a second entry of a name, ...). Applying again retries them.',
        items: entry(['section', 'name', 'reason'], {
          section: { type: 'string', enum: ['publishedEvents', 'subscribedEvents'] },
          name: { type: 'string' },
          reason: { type: 'string' },
        }),
      },
      changes: {
        type: 'object',
        description: 'In the answer of PUT only: what this apply did, by entry name (all empty when the manifest was applied already).',
        required: ['topicsCreated', 'topicsDeleted', 'hubsCreated', 'hubsDeleted'],
        properties: { topicsCreated: strings, topicsDeleted: strings, hubsCreated: strings, hubsDeleted: strings },
        additionalProperties: false,
      },
      '@type': { type: 'string', enum: ['OdaComponent'] },
    },
    additionalProperties: false,
  };
  const name = { name: 'name', in: 'path', required: true, description: 'The component\'s name (metadata.name of its manifest)', schema: NAME };
  const forbidden = errorResponse('Forbidden: ODA event wiring is for admins');
  const notFound = errorResponse('Not Found: no manifest of that name has been applied');
  paths['/odaComponent/{name}'] = {
    put: {
      operationId: 'applyOdaComponent',
      summary: 'Apply an ODA Component manifest: create the topics and hubs its eventNotification declares (admins only)',
      description:
        'Applying the same manifest again changes nothing; a changed one adds and removes only what the manifests made. The body is ' +
        'the manifest as YAML (application/yaml, application/x-yaml, text/yaml) or JSON; a YAML one is held to the rules of ' +
        'OdaComponentManifest too. An entry that cannot be applied is reported in `unapplied`, the rest is applied.',
      tags,
      parameters: [name],
      requestBody: {
        // Declared optional only because a YAML body is text that request validation cannot see (as importSchema's); an empty body is a 400.
        required: false,
        description: 'The manifest (required: an empty body is a 400).',
        content: {
          ...json(ref('OdaComponentManifest')),
          ...Object.fromEntries(YAML_TYPES.map((type) => [type, { schema: { type: 'string', pattern: '\\S' } }])),
        },
      },
      responses: {
        200: { description: 'Applied to a component applied before', content: json(ref('OdaComponent')) },
        201: { description: 'Applied for the first time', headers: locationHeader, content: json(ref('OdaComponent')) },
        400: errorResponse('Bad Request: not an oda.tmforum.org/v1 Component manifest, invalid YAML, or metadata.name is not {name}'),
        403: forbidden,
      },
    },
    get: {
      operationId: 'retrieveOdaComponent',
      summary: 'What an applied ODA Component manifest made, and what it could not apply (admins only)',
      tags,
      parameters: [name],
      responses: { 200: { description: 'Success', content: json(ref('OdaComponent')) }, 400: errorResponse('Bad Request'), 403: forbidden, 404: notFound },
    },
    delete: {
      operationId: 'deleteOdaComponent',
      summary: 'Delete the topics and hubs an ODA Component manifest made, and nothing else (admins only)',
      description: 'Topics it reused stay; a topic it created stays when hubs not its own, or another component, still use it.',
      tags,
      parameters: [name],
      responses: { 204: { description: 'Deleted' }, 400: errorResponse('Bad Request'), 403: forbidden, 404: notFound },
    },
  };
  return { name: ODA_TAG, description: 'Topics and hubs from the eventNotification of ODA Component manifests; not part of TMF688.' };
}
