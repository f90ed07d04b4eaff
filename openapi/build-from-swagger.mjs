// Regenerates tmf688-event.oas3.json from the official TMF688 v4.0.0 Swagger 2.0 file.
// Usage: node openapi/build-from-swagger.mjs [swagger file]   (default: the official file kept beside it)
//        node openapi/build-from-swagger.mjs --stdout          prints it instead (the tests compare the two)
// Every deviation from the official file is applied below and marked `x-tmf688-hub-fix` in the output,
// so a reader can tell the standard from our corrections (see openapi/README.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { addAuditTrail } from './audit-trail-extension.mjs';
import { addListenerCredentials } from './listener-credentials-extension.mjs';
import { addOdaComponent } from './oda-component-extension.mjs';
import { addPollSource } from './poll-source-extension.mjs';
import { addSchemaRegistry } from './schema-registry-extension.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const src = args.find((arg) => arg !== '--stdout') ?? join(here, 'TMF688-Event-v4.0.0.swagger.json');
const swagger = JSON.parse(readFileSync(src, 'utf8'));
// OAS 3.0 ignores siblings of $ref (the official file puts descriptions there): wrap those in allOf.
const wrapRefSiblings = (node) => {
  if (Array.isArray(node)) return node.map(wrapRefSiblings);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, wrapRefSiblings(v)]));
  if (out.$ref && Object.keys(out).length > 1) {
    const { $ref, ...siblings } = out;
    return { allOf: [{ $ref }], ...siblings };
  }
  return out;
};
const rewriteRefs = (node) =>
  wrapRefSiblings(JSON.parse(JSON.stringify(node).replaceAll('#/definitions/', '#/components/schemas/')));
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ 'application/json': { schema } });
const errorResponse = (description) => ({ description, content: json(ref('Error')) });

const schemas = rewriteRefs(swagger.definitions);

// --- schema fixes -------------------------------------------------------------------------
const fixNote = (schema, note) => {
  schema['x-tmf688-hub-fix'] = [...(schema['x-tmf688-hub-fix'] ?? []), note];
};
for (const name of ['Event', 'Event_Create', 'TopicCreateEvent', 'TopicChangeEvent', 'TopicDeleteEvent']) {
  schemas[name].properties.timeOccurred = {
    type: 'string',
    format: 'date-time',
    description: 'The time the event occurred (correct spelling; timeOcurred is accepted too and returned as sent).',
  };
  fixNote(schemas[name], 'timeOccurred accepted beside the misspelt timeOcurred');
}
schemas.Event.properties = {
  id: { type: 'string', description: 'Server-assigned identifier of the event resource.' },
  href: { type: 'string', description: 'Absolute reference of the event resource.' },
  ...schemas.Event.properties,
};
fixNote(schemas.Event, 'id and href added: GET /topic/{topicId}/event/{id} needs them');
schemas.Hub_Create.required = ['callback'];
fixNote(schemas.Hub_Create, 'id is never required on create');
for (const name of ['Hub', 'EventSubscription']) {
  schemas[name].properties.href = { type: 'string', description: 'Absolute reference of the subscription.' };
  fixNote(schemas[name], 'href added: every resource has an absolute href');
}
for (const name of ['EventSubscription', 'EventSubscriptionInput']) {
  for (const attr of ['@baseType', '@schemaLocation', '@type']) {
    schemas[name].properties[attr] = structuredClone(schemas.Hub.properties[attr]);
  }
  fixNote(schemas[name], '@type, @baseType and @schemaLocation accepted as on every TMF resource');
}
for (const name of ['Hub_Create', 'EventSubscriptionInput']) {
  schemas[name].properties.secret = {
    type: 'string',
    minLength: 16,
    maxLength: 256,
    writeOnly: true,
    description:
      'Signing secret (tmf688-hub extension): deliveries then carry a Standard Webhooks webhook-signature. ' +
      'whsec_<base64> is used base64-decoded, any other string as its UTF-8 bytes. Never returned.',
  };
  fixNote(schemas[name], 'secret (write-only) for signed deliveries');
}
// Delivery control (tmf688-hub extension): shown on the hub, as sent.
for (const name of ['Hub', 'Hub_Create', 'EventSubscription', 'EventSubscriptionInput']) {
  schemas[name].properties.rateLimit = {
    type: 'object',
    description:
      'tmf688-hub extension: caps delivery attempts to this subscription (token bucket, bursts up to one second\'s worth). ' +
      'With several worker processes each keeps to its share. A 429 with Retry-After still slows it further.',
    required: ['perSecond'],
    properties: { perSecond: { type: 'number', minimum: 0.001, maximum: 100000, description: 'Attempts per second.' } },
    additionalProperties: false,
  };
  fixNote(schemas[name], 'rateLimit (delivery control)');
  schemas[name].properties.ordering = {
    'x-tmf688-hub-extension': true,
    description:
      'tmf688-hub extension: ordered delivery. {"key": "<attribute path>"} (e.g. "event.productOrder.id", "correlationId") sends the ' +
      'notifications with the same value at that path one at a time, in the order the hub accepted the events; different values go ' +
      'in parallel. "hub" makes every notification of the subscription one strict sequence. A notification without the path goes unordered.',
    oneOf: [
      { type: 'string', enum: ['hub'] },
      {
        type: 'object',
        required: ['key'],
        properties: {
          key: {
            type: 'string',
            minLength: 1,
            maxLength: 256,
            pattern: '^[^.$][^.]*(\\.[^.$][^.]*)*$',
            description: 'Dotted attribute path into the notification; no empty segment, none starting with $.',
          },
        },
        additionalProperties: false,
      },
    ],
  };
  fixNote(schemas[name], 'ordering (delivery control)');
}
// Access control (tmf688-hub extension): who created the subscription, set by the hub like id.
for (const name of ['Hub', 'EventSubscription']) {
  schemas[name].properties.owner = {
    type: 'string',
    readOnly: true,
    'x-tmf688-hub-extension': true,
    description:
      'tmf688-hub extension: the principal that created the subscription (a client of the hub\'s access control; "anonymous" ' +
      'when the hub runs open). Set by the hub, never taken from the request. A client other than an admin sees only its own.',
  };
  fixNote(schemas[name], 'owner (read-only): the principal that created it');
}
schemas.InboxEntry = {
  type: 'object',
  description: 'A notification received by one of the hub\'s own listener endpoints (mock mode).',
  required: ['id', 'name', 'receivedAt', 'notification'],
  properties: {
    id: { type: 'string', description: 'Identifier of this inbox entry.' },
    href: { type: 'string' },
    name: { type: 'string', description: 'The inbox the notification arrived in, e.g. topicCreateEvent.' },
    receivedAt: { type: 'string', format: 'date-time' },
    notification: { description: 'The notification body as received.' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'The delivery headers that came with it: content-type, user-agent and the webhook-* headers.',
    },
    '@type': { type: 'string' },
  },
  // The hub writes these itself: nothing else is ever in one (and so nothing else can be filtered on).
  additionalProperties: false,
  'x-tmf688-hub-fix': ['the official listener responses reuse EventSubscription, which does not describe a received notification'],
};

// --- paths --------------------------------------------------------------------------------
const filterParam = {
  name: 'filter',
  in: 'query',
  required: false,
  style: 'form',
  explode: true,
  description:
    'TMF630 attribute filtering: any other query parameter, e.g. name=orders, eventTime.gt=2024-01-01, ' +
    'domain=a,b, event.productOrder.state=completed, priority.regex=^high. Operators: .gt .gte .lt .lte .eq .ne .regex (and >, >=, <, <=).',
  schema: {
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
  'x-tmf688-hub-fix': 'TMF630 attribute filters declared as a free-form query object so that validation accepts them',
};
const convertParam = (p) => {
  const out = { name: p.name, in: p.in, required: Boolean(p.required), description: p.description, schema: { type: p.type } };
  if (p.name === 'offset' || p.name === 'limit') {
    out.schema.minimum = 0;
    out.schema.maximum = 2147483647;
    out['x-tmf688-hub-fix'] =
      p.name === 'limit' ? 'minimum 0; the running hub serves maximum HUB_LIST_MAX_LIMIT (src/http/contract-document.ts)' : 'minimum 0, maximum 2^31-1';
  }
  return out;
};
const locationHeader = { Location: { description: 'Absolute URL of the created resource.', schema: { type: 'string' } } };
const countHeaders = {
  'X-Total-Count': { description: 'Total number of items matching criteria', schema: { type: 'integer' } },
  'X-Result-Count': { description: 'Actual number of items returned in the response body', schema: { type: 'integer' } },
};

// A list operation is a GET answering an array (listTopic, listEvent, listHub): those take TMF630
// filters and answer the count headers. Not every operationId starting with "list" is one
// (listenToTopicCreateEvent is a POST receiving a notification).
const isListOperation = (method, op) => method === 'get' && op.responses?.['200']?.schema?.type === 'array';

const convertOperation = (method, op) => {
  const out = { operationId: op.operationId, summary: op.summary, description: op.description, tags: op.tags };
  const isList = isListOperation(method, op);
  const params = [];
  for (const p of op.parameters ?? []) {
    if (p.in === 'body') {
      out.requestBody = { required: true, description: p.description, content: json(rewriteRefs(p.schema)) };
    } else {
      params.push(convertParam(p));
    }
  }
  if (isList) params.push(filterParam);
  if (params.length) out.parameters = params;
  out.responses = {};
  for (const [code, r] of Object.entries(op.responses)) {
    const resp = { description: r.description };
    if (r.schema) resp.content = json(rewriteRefs(r.schema));
    if (code === '200' && isList) resp.headers = countHeaders;
    if (code === '201' && !op.operationId.startsWith('listenTo')) resp.headers = locationHeader;
    out.responses[code] = resp;
  }
  return out;
};

const paths = {};
for (const [path, ops] of Object.entries(swagger.paths)) {
  paths[path] = {};
  for (const [method, op] of Object.entries(ops)) paths[path][method] = convertOperation(method, op);
}

// Fixes on operations.
for (const op of [paths['/topic/{topicId}/event'].post, paths['/topic/{topicId}/hub'].post]) {
  op.responses['404'] = errorResponse('Not Found: the topic does not exist');
  op['x-tmf688-hub-fix'] = '404 added for an unknown parent topic';
}
for (const path of ['/listener/topicCreateEvent', '/listener/topicChangeEvent', '/listener/topicDeleteEvent']) {
  paths[path].post.responses['201'] = { description: 'Notified and recorded', content: json(ref('InboxEntry')) };
  paths[path].post['x-tmf688-hub-fix'] = '201 answers with the recorded InboxEntry';
}
const idParam = { name: 'id', in: 'path', required: true, description: 'Identifier of the listener registration', schema: { type: 'string' } };
paths['/hub/{id}'].get = {
  operationId: 'retrieveListener',
  summary: 'Retrieves a listener registration by ID',
  tags: ['events subscription'],
  parameters: [idParam, { name: 'fields', in: 'query', required: false, description: 'Comma-separated properties to be provided in response', schema: { type: 'string' } }],
  responses: {
    200: { description: 'Success', content: json(ref('EventSubscription')) },
    400: errorResponse('Bad Request'),
    401: errorResponse('Unauthorized'),
    404: errorResponse('Not Found'),
    500: errorResponse('Internal Server Error'),
  },
  'x-tmf688-hub-fix': 'GET /hub/{id} added (absent from v4, present in v5)',
};
// --- tmf688-hub extension: delivery log and redelivery -------------------------------------
const EXTENSION_TAG = 'delivery (tmf688-hub extension)';
schemas.DeliveryAttempt = {
  type: 'object',
  description: 'One POST of a notification to a callback.',
  required: ['number', 'at', 'durationMs', 'outcome'],
  properties: {
    number: { type: 'integer', minimum: 1 },
    at: { type: 'string', format: 'date-time' },
    durationMs: { type: 'number' },
    statusCode: { type: 'integer', description: 'HTTP status of the answer; absent when there was none.' },
    error: { type: 'string', description: 'Why the attempt failed: a network error, a timeout, a refusal.' },
    response: { type: 'string', description: 'The first bytes of the answer body.' },
    outcome: { type: 'string', enum: ['delivered', 'failed'] },
    worker: { type: 'string', description: 'The hub worker (host:pid:instance) that made the attempt.' },
  },
  additionalProperties: false,
};
schemas.Delivery = {
  type: 'object',
  description: 'One notification to one hub, with every attempt made to deliver it.',
  required: ['id', 'href', 'hubId', 'eventId', 'url', 'status', 'attemptCount', 'createdAt', 'attempts'],
  properties: {
    id: { type: 'string', description: 'Also the webhook-id header of every attempt.' },
    href: { type: 'string' },
    '@type': { type: 'string' },
    hubId: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    eventHref: { type: 'string', description: 'The event resource, for deliveries of a topic hub.' },
    url: { type: 'string', description: 'Where the notification is posted.' },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
    attemptCount: { type: 'integer' },
    nextAttemptAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: 'string', format: 'date-time' },
    attempts: { type: 'array', items: ref('DeliveryAttempt') },
    replay: { type: 'boolean', description: 'Created by a replay (POST .../hub/{hubId}/replay); its attempts carry webhook-replay: true.' },
    orderingKey: {
      type: 'string',
      description: 'Ordered hubs (ordering): the value of the ordering key for this event (the hub id for "hub"); deliveries of one key go one at a time, by sequence. Absent: unordered.',
    },
    sequence: { type: 'integer', description: 'The order the hub accepted the event in, per topic (for POST /hub registrations, of the API\'s own notifications).' },
  },
  additionalProperties: false,
};
const pathParam = (name, description) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const deliveryOps = (prefixParams, label, idSuffix) => ({
  list: {
    operationId: `list${idSuffix}Delivery`,
    summary: `List the deliveries of ${label}`,
    tags: [EXTENSION_TAG],
    parameters: [
      ...prefixParams,
      { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 2147483647 } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 2147483647 } },
      { ...filterParam, description: 'TMF630 filters on the delivery, e.g. status=dead or eventType=X.' },
    ],
    responses: {
      200: { description: 'Success', headers: countHeaders, content: json({ type: 'array', items: ref('Delivery') }) },
      400: errorResponse('Bad Request'),
      404: errorResponse('Not Found: no such hub'),
    },
  },
  get: {
    operationId: `retrieve${idSuffix}Delivery`,
    summary: `Retrieve one delivery of ${label}, with its attempts`,
    tags: [EXTENSION_TAG],
    parameters: [...prefixParams, pathParam('id', 'Identifier of the delivery')],
    responses: {
      200: { description: 'Success', content: json(ref('Delivery')) },
      404: errorResponse('Not Found'),
    },
  },
  redeliver: {
    operationId: `redeliver${idSuffix}Delivery`,
    summary: `Send a delivered or dead delivery of ${label} again, with a fresh retry schedule`,
    tags: [EXTENSION_TAG],
    parameters: [...prefixParams, pathParam('id', 'Identifier of the delivery')],
    responses: {
      202: { description: 'Accepted: the delivery is pending again', content: json(ref('Delivery')) },
      404: errorResponse('Not Found'),
    },
  },
});
const topicHubOps = deliveryOps([pathParam('topicId', 'Identifier of the topic'), pathParam('hubId', 'Identifier of the hub')], 'a topic hub', 'TopicHub');
const listenerOps = deliveryOps([pathParam('hubId', 'Identifier of the listener registration')], 'a listener registration (POST /hub)', 'Listener');
for (const [base, ops] of [['/topic/{topicId}/hub/{hubId}/delivery', topicHubOps], ['/hub/{hubId}/delivery', listenerOps]]) {
  paths[base] = { get: ops.list };
  paths[`${base}/{id}`] = { get: ops.get };
  paths[`${base}/{id}/redeliver`] = { post: ops.redeliver };
}

// --- tmf688-hub extension: live event stream and mock listener inboxes ---------------------
const STREAM_TAG = 'stream (tmf688-hub extension)';
const INBOX_TAG = 'inbox (tmf688-hub extension)';
const inboxName = {
  name: 'name',
  in: 'path',
  required: true,
  description: 'Any inbox name: letters, digits, dot, dash and underscore, at most 64.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
};
const pageParams = [
  { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 2147483647 } },
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 2147483647 } },
];
const listInbox = (operationId, summary, parameters) => ({
  operationId,
  summary,
  tags: [INBOX_TAG],
  parameters: [...parameters, ...pageParams, { ...filterParam, description: 'TMF630 filters on the entry, e.g. notification.eventType=TopicCreateEvent.' }],
  responses: {
    200: { description: 'Success, oldest first', headers: countHeaders, content: json({ type: 'array', items: ref('InboxEntry') }) },
    400: errorResponse('Bad Request'),
  },
});
paths['/topic/{topicId}/event/stream'] = {
  get: {
    operationId: 'streamEvent',
    summary: 'Server-Sent Events stream of the events published to a topic from now on',
    description:
      'Each event arrives as one SSE message: `id` is the event id, `data` the Event as JSON. A comment line is sent every ' +
      'HUB_STREAM_HEARTBEAT. With Last-Event-ID the stream first replays the stored events published after that event.',
    tags: [STREAM_TAG],
    parameters: [
      pathParam('topicId', 'Identifier of the topic'),
      { name: 'query', in: 'query', required: false, description: 'Hub query language, as in Hub.query, e.g. eventType=AlarmCreateEvent', schema: { type: 'string' } },
      { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event id (sent by EventSource when it reconnects).', schema: { type: 'string' } },
    ],
    responses: {
      200: { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      400: errorResponse('Bad Request: a bad query'),
      404: errorResponse('Not Found: the topic does not exist, or the Last-Event-ID is not an event of this topic'),
    },
  },
};
paths['/inbox/{name}'] = {
  get: listInbox('listInboxEntry', 'List the notifications received by an inbox', [inboxName]),
  post: {
    operationId: 'receiveInboxEntry',
    summary: 'Receive any notification and keep it (point a callback here)',
    tags: [INBOX_TAG],
    parameters: [inboxName],
    requestBody: { required: true, description: 'Any JSON notification', content: json({}) },
    responses: {
      201: { description: 'Received and recorded', content: json(ref('InboxEntry')) },
      400: errorResponse('Bad Request'),
    },
  },
  delete: {
    operationId: 'clearInbox',
    summary: 'Delete every entry of an inbox',
    tags: [INBOX_TAG],
    parameters: [inboxName],
    responses: { 204: { description: 'Cleared' }, 400: errorResponse('Bad Request') },
  },
};
paths['/inbox/{name}/listener/{eventType}'] = {
  post: {
    ...paths['/inbox/{name}'].post,
    operationId: 'receiveInboxListenerEntry',
    summary: 'Receive a notification sent with HUB_LISTENER_SUFFIX (callback + /listener/{eventType}) into the inbox {name}',
    parameters: [inboxName, { ...inboxName, name: 'eventType', description: 'The event type in lowerCamel, as the suffix writes it.' }],
  },
};
for (const [path, name] of [['/listener/topicCreateEvent', 'TopicCreateEvent'], ['/listener/topicChangeEvent', 'TopicChangeEvent'], ['/listener/topicDeleteEvent', 'TopicDeleteEvent']]) {
  paths[path].get = listInbox(`list${name}Received`, `List the ${name} notifications this listener endpoint received`, []);
}

// --- tmf688-hub extension: delivery control (secret rotation, replay) -----------------------
const CONTROL_TAG = 'delivery control (tmf688-hub extension)';
schemas.SecretRotation = {
  type: 'object',
  description: 'A new signing secret. The previous one keeps signing for HUB_SECRET_ROTATION_GRACE.',
  required: ['secret'],
  properties: { secret: { ...structuredClone(schemas.Hub_Create.properties.secret), description: 'The new secret; never returned.' } },
  additionalProperties: false,
};
const rotateSecretOp = (operationId, label, params, resource) => ({
  operationId,
  summary: `Rotate the signing secret of ${label}`,
  description:
    'Sets a new secret. For HUB_SECRET_ROTATION_GRACE (default 24h) every attempt carries two signatures in ' +
    'webhook-signature, space-separated (new, then previous), so a listener holding either verifies. ' +
    'Answers the subscription without any secret.',
  tags: [CONTROL_TAG],
  parameters: params,
  requestBody: { required: true, content: json(ref('SecretRotation')) },
  responses: {
    200: { description: 'Rotated', content: json(ref(resource)) },
    400: errorResponse('Bad Request'),
    404: errorResponse('Not Found'),
  },
});
paths['/topic/{topicId}/hub/{hubId}/secret'] = {
  post: rotateSecretOp('rotateTopicHubSecret', 'a topic hub', [pathParam('topicId', 'Identifier of the topic'), pathParam('hubId', 'Identifier of the hub')], 'Hub'),
};
schemas.ReplayRequest = {
  type: 'object',
  description: 'A window of publish times (both edges included), and optionally a narrower query.',
  required: ['from', 'to'],
  properties: {
    from: { type: 'string', format: 'date-time', description: 'Replay events the hub accepted at or after this time.' },
    to: { type: 'string', format: 'date-time', description: 'Replay events the hub accepted at or before this time.' },
    query: { type: 'string', description: 'Hub query syntax; ANDed with the topic\'s queries and the hub\'s own query.' },
    onlyUndelivered: { type: 'boolean', description: 'Skip events this hub already has a delivered delivery of.' },
  },
  additionalProperties: false,
};
schemas.ReplayResult = {
  type: 'object',
  required: ['events', 'queued'],
  properties: {
    events: { type: 'integer', description: 'Stored events of the topic in the window.' },
    queued: { type: 'integer', description: 'Fresh deliveries created for the hub (marked replay).' },
  },
  additionalProperties: false,
};
paths['/topic/{topicId}/hub/{hubId}/replay'] = {
  post: {
    operationId: 'replayTopicHub',
    summary: 'Send the stored events of a time window to a hub again',
    description:
      'Creates a fresh delivery, in publish order, for every event of the topic published in [from, to] that the topic\'s ' +
      'queries, the hub\'s query and the optional query match. Answers 202 with how many were queued. More than ' +
      'HUB_REPLAY_MAX events in the window is a 400. Replayed attempts carry the header webhook-replay: true.',
    tags: [CONTROL_TAG],
    parameters: [pathParam('topicId', 'Identifier of the topic'), pathParam('hubId', 'Identifier of the hub')],
    requestBody: { required: true, content: json(ref('ReplayRequest')) },
    responses: {
      202: { description: 'Queued', content: json(ref('ReplayResult')) },
      400: errorResponse('Bad Request'),
      404: errorResponse('Not Found'),
    },
  },
};
schemas.HubStats = {
  type: 'object',
  description: 'Delivery health of a hub over a window, per bucket, aggregated from its attempt log.',
  required: ['hubId', 'from', 'to', 'bucketSeconds', 'points', 'delivered', 'failed'],
  properties: {
    hubId: { type: 'string' },
    from: { type: 'string', format: 'date-time', description: 'Start of the first bucket.' },
    to: { type: 'string', format: 'date-time', description: 'The end of the window: now.' },
    bucketSeconds: { type: 'integer', description: '60 for windows up to an hour; longer windows get 60 wider buckets.' },
    delivered: { type: 'integer', description: 'Delivered attempts in the window.' },
    failed: { type: 'integer', description: 'Failed attempts in the window.' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'delivered', 'failed'],
        properties: {
          at: { type: 'string', format: 'date-time', description: 'Start of the bucket.' },
          delivered: { type: 'integer' },
          failed: { type: 'integer' },
          p50Ms: { type: 'number', description: 'Median attempt duration; absent for a bucket without attempts.' },
          p99Ms: { type: 'number', description: '99th percentile attempt duration (nearest rank).' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};
const statsOp = (operationId, label, params) => ({
  operationId,
  summary: `Delivery health of ${label}: attempts per minute and their duration`,
  tags: [CONTROL_TAG],
  parameters: [
    ...params,
    {
      name: 'window',
      in: 'query',
      required: false,
      description: 'How far back: 1m to 1440m, or 1h to 24h (default 1h).',
      schema: { type: 'string', pattern: '^(([1-9]|[1-9][0-9]|[1-9][0-9]{2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440)m|([1-9]|1[0-9]|2[0-4])h)$' },
    },
  ],
  responses: {
    200: { description: 'Success', content: json(ref('HubStats')) },
    400: errorResponse('Bad Request'),
    404: errorResponse('Not Found'),
  },
});
paths['/topic/{topicId}/hub/{hubId}/stats'] = {
  get: statsOp('retrieveTopicHubStats', 'a topic hub', [pathParam('topicId', 'Identifier of the topic'), pathParam('hubId', 'Identifier of the hub')]),
};
paths['/hub/{hubId}/stats'] = {
  get: statsOp('retrieveListenerStats', 'a listener registration (POST /hub)', [pathParam('hubId', 'Identifier of the listener registration')]),
};
paths['/hub/{hubId}/secret'] = {
  post: rotateSecretOp('rotateListenerSecret', 'a listener registration (POST /hub)', [pathParam('hubId', 'Identifier of the listener registration')], 'EventSubscription'),
};

// --- tmf688-hub extension: what a listener requires of deliveries (openapi/listener-credentials-extension.mjs)
addListenerCredentials({ paths, schemas }, { ref, json, errorResponse, pathParam, fixNote, tag: CONTROL_TAG });

// --- tmf688-hub extension: event schema registry (openapi/schema-registry-extension.mjs) ------
const schemaTag = addSchemaRegistry({ paths, schemas }, { ref, json, errorResponse, pageParams, filterParam, countHeaders, locationHeader });

// --- tmf688-hub extension: the audit trail (openapi/audit-trail-extension.mjs) ---------------------
const auditTag = addAuditTrail({ paths, schemas }, { ref, json, errorResponse, pageParams, filterParam, countHeaders });


// --- tmf688-hub extension: interoperability (WebSocket stream, CloudEvents, trace context) ----
const INTEROP_TAG = 'interoperability (tmf688-hub extension)';
const extension = (schema) => ({ ...schema, 'x-tmf688-hub-extension': true });
for (const name of ['Hub_Create', 'Hub', 'EventSubscriptionInput', 'EventSubscription']) {
  schemas[name].properties.format = extension({
    type: 'string',
    enum: ['tmf', 'cloudevents', 'cloudevents-binary'],
    description:
      'How notifications are sent (tmf688-hub extension). tmf (the default): the plain TMF notification. cloudevents: a CloudEvent ' +
      'in structured mode (application/cloudevents+json). cloudevents-binary: the notification as body with ce-* headers. ' +
      'CloudEvent id = the delivery id (the webhook-id), source = the topic href, type = eventType, time = eventTime, ' +
      'subject = the id of the event resource, datacontenttype = application/json, data = the notification.',
  });
  schemas[name].properties.validate = extension({
    type: 'boolean',
    description:
      'true: before the subscription is created, the callback is asked for consent with the CloudEvents webhook validation ' +
      'handshake (OPTIONS with WebHook-Request-Origin and WebHook-Request-Rate); without a WebHook-Allowed-Origin naming the hub ' +
      '(or *) the creation is a 400 that quotes the answer. A WebHook-Allowed-Rate becomes rateLimit.perSecond (tmf688-hub extension).',
  });
  fixNote(schemas[name], 'format and validate (tmf688-hub extensions): CloudEvents delivery and the webhook validation handshake');
}
{
  const stream = paths['/topic/{topicId}/event/stream'].get;
  stream.summary = 'Live stream of the events published to a topic from now on: Server-Sent Events, or WebSocket on upgrade';
  stream.description +=
    ' The same path upgrades to a WebSocket (Upgrade: websocket): one JSON text frame per event (the Event, or a structured ' +
    'CloudEvent with the subprotocol cloudevents.json), a ping every HUB_STREAM_HEARTBEAT, lastEventId to resume. A client whose ' +
    'unsent data passes HUB_STREAM_BUFFER is closed with 1013 and a reason naming the lastEventId to resume from. With access control on, ' +
    'the key or token goes in Authorization: Bearer, or (browsers) as the subprotocol bearer.<credential> or base64url.bearer.<credential in base64url> ' +
    'beside tmf688.json or cloudevents.json. A refused upgrade is an HTTP answer with a TMF Error. The messages are described in ' +
    'the AsyncAPI document (/asyncapi.json).';
  stream.parameters.push({
    name: 'lastEventId',
    in: 'query',
    required: false,
    description: 'Resume after this event id (the WebSocket form of Last-Event-ID; the header wins when both are given).',
    schema: { type: 'string' },
    'x-tmf688-hub-extension': true,
  });
  stream.responses['101'] = { description: 'Switching Protocols: the WebSocket stream (Upgrade: websocket)' };
}
for (const op of [paths['/topic/{topicId}/event'].post]) {
  op.responses['429'] = errorResponse('Too Many Requests: the client publishes faster than its publishPerSecond quota; Retry-After says when to try again');
  op.parameters = [
    ...(op.parameters ?? []),
    extension({ name: 'traceparent', in: 'header', required: false, description: 'W3C trace context: the publish joins this trace and every delivery attempt is sent as its child (an invalid one is ignored and a new trace started).', schema: { type: 'string' } }),
    extension({ name: 'tracestate', in: 'header', required: false, description: 'W3C trace context vendor state, passed on to every delivery attempt.', schema: { type: 'string' } }),
  ];
}
paths['/inbox/{name}'].options = {
  operationId: 'handshakeInbox',
  summary: 'Consent to deliveries: the CloudEvents webhook validation handshake, answered by every inbox',
  description: 'Answers WebHook-Allowed-Origin with the WebHook-Request-Origin it was sent, and WebHook-Allowed-Rate: *.',
  tags: [INTEROP_TAG],
  parameters: [
    inboxName,
    { name: 'WebHook-Request-Origin', in: 'header', required: false, description: 'The host name of the system asking to deliver.', schema: { type: 'string' } },
    { name: 'WebHook-Request-Rate', in: 'header', required: false, description: 'Notifications per minute it asks to send.', schema: { type: 'string' } },
  ],
  responses: {
    200: {
      description: 'Consent (with WebHook-Allowed-Origin when a WebHook-Request-Origin was sent)',
      headers: {
        'WebHook-Allowed-Origin': { description: 'The origin allowed to deliver.', schema: { type: 'string' } },
        'WebHook-Allowed-Rate': { description: 'Notifications per minute allowed; * for no limit.', schema: { type: 'string' } },
        Allow: { description: 'The methods of the inbox path.', schema: { type: 'string' } },
      },
    },
    400: errorResponse('Bad Request'),
  },
};

// --- tmf688-hub extension: the broker bridges (Kafka, NATS JetStream, RabbitMQ, MQTT) -----------------------
for (const name of ['Hub_Create', 'Hub', 'EventSubscriptionInput', 'EventSubscription']) {
  const callback = schemas[name].properties.callback;
  callback.description +=
    '. tmf688-hub: an http(s) URL, or a broker destination (tmf688-hub extension, when the hub has the broker configured) ' +
    'to publish each notification to through the same outbox: kafka:<topic> (HUB_KAFKA_BROKERS), nats:<subject> ' +
    '(HUB_NATS_URL, a JetStream publish with Nats-Msg-Id = the delivery id), amqp:<exchange>/<routingKey> or amqp:/<queue> ' +
    '(HUB_AMQP_URL, a persistent message with message_id = the delivery id, publisher confirms), mqtt:<topic> (HUB_MQTT_URL, ' +
    'QoS 1). The message is the notification JSON, with the webhook-id, webhook-timestamp, webhook-signature and traceparent ' +
    'headers and the CloudEvents attributes in the broker\'s binding. A broker callback without its broker configured, or ' +
    'with an invalid destination name, is a 400.';
}
const SOURCE_BROKERS = {
  kafka: 'A Kafka topic (HUB_KAFKA_BROKERS): [a-zA-Z0-9._-], 1 to 249 characters, not . or ..; refused records go to <topic>.dlq.',
  nats: 'A NATS subject (HUB_NATS_URL), read by a durable JetStream consumer: dot-separated tokens, no wildcards; refused records go to <subject>.dlq.',
  amqp: "A RabbitMQ queue (HUB_AMQP_URL), read with manual acks: refused records are rejected to the queue's dead-letter exchange, or go to <queue>.dlq when it has none.",
  mqtt: 'An MQTT topic filter (HUB_MQTT_URL), read at QoS 1 in a persistent session; refused records go to <topic>/dlq.',
};
for (const name of ['Topic_Create', 'Topic']) {
  schemas[name].properties.source = extension({
    type: 'object',
    description:
      'Where the topic reads its events from (tmf688-hub extension, when the hub has that broker configured): exactly one of ' +
      'kafka, nats, amqp or mqtt. Each record is published as POST /topic/{id}/event would publish it, and acknowledged to the ' +
      'broker once stored. format tmf: the record is the TMF event (without eventId, one is derived from the record\'s position ' +
      'in the broker); cloudevents: a CloudEvent (structured, or binary in the broker\'s binding) whose id becomes the eventId. ' +
      'Without the broker configured, or with an invalid name or format, the creation is a 400.',
    properties: {
      ...Object.fromEntries(Object.entries(SOURCE_BROKERS).map(([key, description]) => [key, { type: 'string', description }])),
      format: { type: 'string', enum: ['tmf', 'cloudevents'], default: 'tmf', description: 'How the records are written.' },
    },
    // The hub refuses an attribute it does not know (a 400 naming it) rather than store what it would never read.
    additionalProperties: false,
    oneOf: Object.keys(SOURCE_BROKERS).map((key) => ({ required: [key] })),
  });
  fixNote(schemas[name], 'source (tmf688-hub extension): a Kafka topic, NATS subject, RabbitMQ queue or MQTT topic filter the topic reads its events from');
}
const stateTag = addPollSource({ paths, schemas }, { ref, json, errorResponse, pathParam, pageParams, filterParam, countHeaders, fixNote });

// --- tmf688-hub extension: ODA event wiring (openapi/oda-component-extension.mjs) -----------------
const odaTag = addOdaComponent({ paths, schemas }, { ref, json, errorResponse, locationHeader });

// Every operation can meet a store outage, and a method the path lacks.
for (const [path, ops] of Object.entries(paths)) {
  for (const op of Object.values(ops)) {
    op.responses['405'] ??= errorResponse('Method Not allowed');
    op.responses['503'] = errorResponse('Service Unavailable: the store cannot be reached');
    op.responses['401'] = errorResponse('Unauthorized: access control is on and no valid credential was given (API key, token or client certificate)');
    op.responses['403'] ??= errorResponse('Forbidden: the client lacks the permission the operation needs, the topic is out of its scopes, or a quota is used up');
    op.responses['414'] = errorResponse('URI Too Long: the query string exceeds 4096 characters');
    op.responses['431'] = errorResponse('Request Header Fields Too Large: the request line or the headers exceed the server\'s limit (16 KB)');
    // Any operation that takes parameters or a body can be sent invalid ones.
    if (op.requestBody || op.parameters?.length || /\{[^}]+\}/.test(path)) op.responses['400'] ??= errorResponse('Bad Request');
    if (op.requestBody) {
      op.responses['413'] = errorResponse('Payload Too Large: the body exceeds HUB_MAX_BODY');
      op.responses['415'] = errorResponse('Unsupported Media Type: the body must be application/json');
    }
  }
}

const doc = {
  openapi: '3.0.3',
  info: {
    title: 'TMF688 Event Management API (tmf688-hub)',
    version: '4.0.0',
    description:
      'TM Forum TMF688 Event Management API v4.0.0, converted from the official Swagger 2.0 file. ' +
      'Corrections to the official file are marked x-tmf688-hub-fix.',
  },
  servers: [{ url: '/tmf-api/event/v4' }, { url: '/tmf-api/eventManagement/v4' }],
  tags: [
    ...swagger.tags,
    { name: EXTENSION_TAG, description: 'Delivery log and redelivery; not part of TMF688.' },
    { name: STREAM_TAG, description: 'Live Server-Sent Events stream of a topic; not part of TMF688.' },
    { name: INBOX_TAG, description: 'Mock listener inboxes: point callbacks at the hub and see what arrived; not part of TMF688.' },
    { name: CONTROL_TAG, description: 'Secret rotation, replay and delivery health of a hub; not part of TMF688.' },

    schemaTag,
    auditTag,
    stateTag,
    odaTag,

    { name: INTEROP_TAG, description: 'CloudEvents webhook validation handshake of the mock inboxes; not part of TMF688.' },
  ],
  paths,
  components: { schemas },
};
const text = JSON.stringify(doc, null, 2) + '\n';
if (args.includes('--stdout')) {
  process.stdout.write(text);
} else {
  const out = join(here, 'tmf688-event.oas3.json');
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
