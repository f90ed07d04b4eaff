// tmf688-hub extension (issue 28): a topic whose source polls an HTTP API (a TMF list or resource) and
// publishes what changed as TMF events. Applied by build-from-swagger.mjs after the broker sources;
// kept apart so the generator's own conversion stays readable.

/** The attributes of a poll source, beside the brokers' in the topic's `source`. */
const POLL_ATTRIBUTES = {
  poll: {
    type: 'string',
    maxLength: 2048,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007f/?#@]+([/?#][^\\u0000-\\u001f\\u007f]*)?$',
    description:
      'tmf688-hub extension, a poll source: the http(s) URL of a TMF list (read page by page with offset and limit until ' +
      'X-Total-Count or a short page) or of one resource, without user information. GET under the same rules as callbacks ' +
      '(HUB_CALLBACK_POLICY), within HUB_POLL_TIMEOUT and HUB_POLL_MAX_BYTES. Each resource (keyed by id) new since the last poll ' +
      'publishes <Type>CreateEvent, changed <Type>AttributeValueChangeEvent (fieldPath: the changed attributes, comma-separated; ' +
      'patch: the RFC 6902 JSON Patch from the old state to the new) and, when its state or status changed, <Type>StateChangeEvent; ' +
      'one gone from the list <Type>DeleteEvent with its last state. The first poll publishes nothing unless emitInitial.',
  },
  interval: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?\\s*([Mm][Ss]|[SsMmHhDd])?$', default: '1m', description: 'Poll source: how often to poll, 1s to 24h (500ms, 10s, 5m, 1h); failures back off.' },
  resourceType: {
    type: 'string',
    pattern: '^[A-Z][A-Za-z0-9]{0,99}$',
    description: "Poll source: the resources' type, naming the events (ProductOrder: ProductOrderCreateEvent, event.productOrder); else each resource's @type.",
  },
  emitInitial: { type: 'boolean', default: false, description: 'Poll source: the first poll publishes a CreateEvent per resource too.' },
  lastPollAt: { type: 'string', format: 'date-time', description: 'Read-only. Poll source: when the last poll ran (recorded by the hub).' },
  lastError: { type: 'string', description: 'Read-only. Poll source: why the last poll failed, or what it left out; absent after a clean poll.' },
};

export const STATE_TAG = 'latest state (tmf688-hub extension)';

/**
 * Adds the poll source's attributes to the topics' `source` schema and the latest state's paths
 * (GET /topic/{topicId}/state and /state/{resourceId}) to `paths` and `schemas` (mutated), and returns
 * its tag. `auth` takes the shapes of a listener's (ListenerAuth, secrets write-only).
 */
export function addPollSource({ paths, schemas }, { ref, json, errorResponse, pathParam, pageParams, filterParam, countHeaders, fixNote }) {
  for (const name of ['Topic_Create', 'Topic']) {
    const source = schemas[name].properties.source;
    source.description +=
      ' Or a poll source (tmf688-hub extension): {"poll": "<url>", "interval", "resourceType", "emitInitial", "auth"}, whose ' +
      'lastPollAt and lastError the hub records.';
    Object.assign(source.properties, POLL_ATTRIBUTES, {
      auth: { allOf: [ref('ListenerAuth')], description: 'Poll source: the Authorization of every poll (bearer, basic or OAuth2 client credentials); secrets write-only.' },
    });
    source.oneOf.push({ required: ['poll'] });
    schemas[name].properties.keepState = {
      type: 'boolean',
      default: false,
      description:
        'tmf688-hub extension: the topic keeps the latest state of each resource its published events carry (event.<type> with an ' +
        'id; an eventType ending in DeleteEvent removes it), listed by GET /topic/{topicId}/state. A poll source keeps them anyway ' +
        '(keepState with a poll source is a 400).',
      'x-tmf688-hub-extension': true,
    };
    fixNote(schemas[name], 'source.poll and keepState (tmf688-hub extensions): a poll source, an HTTP API polled for changes; the latest state of each resource');
  }
  paths['/topic/{topicId}/event/stream'].get.parameters.push({
    name: 'mode',
    in: 'query',
    required: false,
    description:
      'tmf688-hub extension. patch: first one snapshot message per resource of the topic (its latest state: SSE event snapshot, ' +
      'data {resourceId, state}, no id), then one patch message per change (SSE event patch, id = the event id, data {resourceId, ' +
      'eventId, eventType, patch}: the RFC 6902 operations from the resource as the client holds it to its new state; a new ' +
      'resource is add of path "", a deleted one remove of path ""). Over WebSocket the same messages with type snapshot or patch. ' +
      'With Last-Event-ID (or lastEventId) no snapshot: the patches of the events missed. Not with query (400).',
    schema: { type: 'string', enum: ['events', 'patch'], default: 'events' },
    'x-tmf688-hub-extension': true,
  });
  schemas.ResourceState = {
    type: 'object',
    description:
      'The latest state of one resource of a topic, as its source last returned it (keyed by id): kept by a poll source. No href ' +
      'of the hub is added (the resource\'s own href, if any, is the source API\'s).',
    required: ['id'],
    properties: { id: { type: 'string', description: 'The resource id.' } },
    additionalProperties: true,
  };
  const topicParam = pathParam('topicId', 'Identifier of the topic');
  const fields = { name: 'fields', in: 'query', required: false, description: 'Comma-separated attributes to keep (id and @type always are)', schema: { type: 'string' } };
  const tags = [STATE_TAG];
  paths['/topic/{topicId}/state'] = {
    get: {
      operationId: 'listTopicState',
      summary: 'List the latest state of each resource of a topic with a poll source',
      description: 'TMF630 filters on the resources\' attributes, fields, offset and limit, X-Total-Count; in the order the resources were first seen.',
      tags,
      parameters: [topicParam, fields, ...pageParams, { ...filterParam, description: 'TMF630 filters on the resources, e.g. state=completed, priority.lte=2' }],
      responses: {
        200: { description: 'Success', headers: countHeaders, content: json({ type: 'array', items: ref('ResourceState') }) },
        404: errorResponse('Not Found: no such topic'),
      },
    },
  };
  paths['/topic/{topicId}/state/{resourceId}'] = {
    get: {
      operationId: 'retrieveTopicState',
      summary: 'Retrieve the latest state of one resource of a topic',
      tags,
      parameters: [topicParam, pathParam('resourceId', 'The resource id'), fields],
      responses: {
        200: { description: 'Success', content: json(ref('ResourceState')) },
        404: errorResponse('Not Found: no such topic, or no state of that resource in it'),
      },
    },
  };
  return {
    name: STATE_TAG,
    description: 'The latest state of each resource of a topic whose source polls an HTTP API (docs/sources.md); not part of TMF688.',
  };
}
