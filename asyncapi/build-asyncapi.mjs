// Builds tmf688-hub.asyncapi.json: the AsyncAPI 3 document of what the hub POSTs to listener callbacks.
// Usage: node asyncapi/build-asyncapi.mjs            writes asyncapi/tmf688-hub.asyncapi.json
//        node asyncapi/build-asyncapi.mjs --stdout   prints it instead (the tests compare the two)
// The TMF schemas (Event, Topic, TopicCreateEvent, ...) are copied from the bundled OpenAPI document,
// never by hand; the version comes from package.json. The output depends on nothing else: no clock,
// no randomness, so regenerating an unchanged input gives the same bytes.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addPatchStream } from './patch-stream-messages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(root, 'asyncapi', 'tmf688-hub.asyncapi.json');
const openapi = JSON.parse(readFileSync(join(root, 'openapi', 'tmf688-event.oas3.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const SCHEMAS = '#/components/schemas/';
const ref = (name) => ({ $ref: `${SCHEMAS}${name}` });
const API = '/tmf-api/event/v4';

// --- TMF schemas from the OpenAPI document ------------------------------------------------------
/** The named schemas and every schema they reference, as the OpenAPI document has them. */
function copyWithReferences(names) {
  const oas = openapi.components.schemas;
  const copied = {};
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') take(node.$ref.slice(SCHEMAS.length));
    Object.values(node).forEach(visit);
  };
  const take = (name) => {
    if (name in copied) return;
    if (!oas[name]) throw new Error(`openapi/tmf688-event.oas3.json has no schema ${name}`);
    copied[name] = structuredClone(oas[name]);
    visit(copied[name]);
  };
  names.forEach(take);
  // OpenAPI-only keywords would mean something else (or nothing) in an AsyncAPI (JSON Schema) schema.
  const oasOnly = JSON.stringify(copied).match(/"(nullable|example|xml|readOnly)":/);
  if (oasOnly) throw new Error(`copied schemas use the OpenAPI-only keyword ${oasOnly[1]}: convert it here`);
  return Object.fromEntries(Object.keys(copied).sort().map((name) => [name, copied[name]]));
}

const tmfSchemas = copyWithReferences(['Event', 'TopicCreateEvent', 'TopicDeleteEvent']);

// --- what the hub adds to them: what it always sends ----------------------------------------------
const absoluteHref = { type: 'string', format: 'uri' };

const notificationSchemas = {
  EventNotification: {
    description:
      'An event published to a topic, delivered as `GET /topic/{topicId}/event/{id}` returns it: the Event as ' +
      'published, with extension attributes kept, plus the server-assigned `id`, its absolute `href` and `@type` ' +
      '(default `Event`). `eventId` and `eventTime` are always present: the hub fills them in when the publisher ' +
      'left them out. `eventType` is present when the publisher sent one.',
    allOf: [
      ref('Event'),
      { type: 'object', required: ['id', 'href', '@type', 'eventId', 'eventTime'], properties: { href: absoluteHref } },
    ],
  },
  TopicCreateEventNotification: topicNotification('TopicCreateEvent', 'created'),
  TopicDeleteEventNotification: topicNotification('TopicDeleteEvent', 'deleted (as it was just before)'),
  ProjectedNotification: {
    type: 'object',
    description:
      'A notification projected by a `fields=` clause in the subscription query (e.g. `fields=event.productOrder.id`): ' +
      'only the listed attribute paths are kept, plus `id`, and for events `href` and `@type`. Nothing else is ' +
      'guaranteed, not even `eventId` or `eventType`: a subscriber asking for a projection knows what it asked for.',
    required: ['id'],
    properties: {
      id: { type: 'string', description: 'The event resource id (events) or the eventId (topic notifications).' },
      href: absoluteHref,
      '@type': { type: 'string' },
    },
  },
  DeliveryHeaders: {
    type: 'object',
    description:
      'HTTP headers of every delivery attempt (Standard Webhooks, https://www.standardwebhooks.com). HTTP header ' +
      'names are case-insensitive; they are shown lower-case, as Node and most frameworks present them.',
    required: ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-attempt'],
    properties: {
      'content-type': { type: 'string', const: 'application/json' },
      'user-agent': { type: 'string', const: 'tmf688-hub' },
      'webhook-id': {
        type: 'string',
        format: 'uuid',
        description:
          'The delivery id: the same on every attempt of one delivery (retries and redeliveries), different for ' +
          'each subscription and notification. Listeners deduplicate on it, since delivery is at-least-once. ' +
          `The delivery and its attempts can be read at \`${API}/topic/{topicId}/hub/{hubId}/delivery/{webhook-id}\` ` +
          `(or \`${API}/hub/{hubId}/delivery/{webhook-id}\` for POST /hub registrations).`,
      },
      'webhook-timestamp': {
        type: 'string',
        pattern: '^[0-9]{1,12}$',
        description: 'When this attempt was sent, in Unix seconds. Signed, so a receiver can refuse old replays.',
      },
      'webhook-attempt': {
        type: 'string',
        pattern: '^[1-9][0-9]*$',
        description: 'Attempt number of this delivery, 1 for the first; counting continues across redeliveries.',
      },
      'webhook-replay': {
        type: 'string',
        enum: ['true'],
        description: 'Present (and true) only on deliveries created by a replay (POST .../hub/{hubId}/replay): the event was delivered before, or was published before the replay was asked for.',
      },
      'webhook-signature': {
        type: 'string',
        pattern: '^v1,[A-Za-z0-9+/]{43}=( v1,[A-Za-z0-9+/]{43}=)?$',
        description:
          'Present only when the subscription has a `secret`. `v1,` then the base64 HMAC-SHA256 of ' +
          '`{webhook-id}.{webhook-timestamp}.{body}` (the raw body bytes as received). The key is the base64-decoded ' +
          'part of a secret written `whsec_<base64>`, else the UTF-8 bytes of the secret. For HUB_SECRET_ROTATION_GRACE ' +
          'after a rotation (POST .../secret) two signatures are sent, space-separated: the new secret\'s first, then ' +
          'the previous one\'s; a listener accepts the delivery when any of them verifies with its secret.',
      },
    },
  },
};

// --- trace context, CloudEvents (hubs with `format`) and the WebSocket stream -----------------------
Object.assign(notificationSchemas.DeliveryHeaders.properties, {
  traceparent: {
    type: 'string',
    pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
    description:
      'W3C trace context of this attempt: the trace of the publishing request when it sent a valid traceparent ' +
      '(else a trace the hub started), and a span id of its own (the attempt span, child of the publish span), ' +
      'so the listener joins the trace. Every attempt sends one.',
  },
  tracestate: { type: 'string', description: 'The tracestate the publishing request sent, passed on as received.' },
});
notificationSchemas.DeliveryHeaders.required.push('traceparent');
const anyNotification = { anyOf: [ref('EventNotification'), ref('TopicCreateEventNotification'), ref('TopicDeleteEventNotification'), ref('ProjectedNotification')] };
const CE_MAPPING =
  'CloudEvents 1.0 mapping: `id` the delivery id (the `webhook-id`, stable across retries; on the WebSocket stream the ' +
  'event id), `source` the topic href, `type` the eventType, `time` the eventTime, `subject` the id of the event\'s ' +
  'resource (`event.<resource>.id`) where there is one, `datacontenttype` application/json, `data` the notification as ' +
  'a plain delivery would send it.';
const ceAttributes = {
  specversion: { type: 'string', const: '1.0' },
  id: { type: 'string' },
  source: { type: 'string', format: 'uri' },
  type: { type: 'string' },
  time: { type: 'string', format: 'date-time' },
  subject: { type: 'string' },
  datacontenttype: { type: 'string', const: 'application/json' },
};
notificationSchemas.CloudEventNotification = {
  type: 'object',
  description: `A notification as a structured-mode CloudEvent (hubs with \`"format": "cloudevents"\`, and the WebSocket stream with the subprotocol cloudevents.json). ${CE_MAPPING}`,
  required: ['specversion', 'id', 'source', 'type', 'datacontenttype', 'data'],
  properties: { ...ceAttributes, data: anyNotification },
};
const deliveryHeaders = notificationSchemas.DeliveryHeaders;
notificationSchemas.StructuredCloudEventHeaders = {
  ...deliveryHeaders,
  description: 'The delivery headers of a structured-mode CloudEvent: the same, but the content type.',
  properties: { ...deliveryHeaders.properties, 'content-type': { type: 'string', const: 'application/cloudevents+json' } },
};
notificationSchemas.BinaryCloudEventHeaders = {
  ...deliveryHeaders,
  description: `The delivery headers of a binary-mode CloudEvent (hubs with \`"format": "cloudevents-binary"\`): the plain ones plus the attributes as ce-* headers (values outside printable ASCII percent-encoded). ${CE_MAPPING}`,
  required: [...deliveryHeaders.required, 'ce-specversion', 'ce-id', 'ce-source', 'ce-type'],
  properties: Object.fromEntries([
    ...Object.entries(deliveryHeaders.properties),
    ...Object.entries(ceAttributes).filter(([name]) => name !== 'datacontenttype').map(([name, schema]) => [`ce-${name}`, { type: 'string', ...(schema.const ? { const: schema.const } : {}) }]),
  ]),
};
notificationSchemas.StreamedNotification = {
  description: 'One text frame of the WebSocket stream: the Event as `GET .../event/{id}` returns it, or projected by `fields=` in the stream\'s `query`.',
  anyOf: [ref('EventNotification'), ref('ProjectedNotification')],
};

function topicNotification(eventType, what) {
  return {
    description:
      `Sent to every POST /hub registration whose query matches when a topic is ${what}. ` +
      '`id` and `eventId` are the same generated value; `event.topic` is the Topic resource with its absolute `href`.',
    allOf: [
      ref(eventType),
      {
        type: 'object',
        required: ['id', 'eventId', 'eventTime', 'eventType', 'event'],
        properties: {
          eventType: { const: eventType },
          event: {
            type: 'object',
            required: ['topic'],
            properties: {
              topic: { type: 'object', required: ['id', 'href', '@type'], properties: { href: absoluteHref } },
            },
          },
        },
      },
    ],
  };
}

// --- examples: fixed values, signed with a documented example secret --------------------------------
const EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BASE = `https://hub.example.com${API}`;
const TOPIC_ID = '3f9c2b1e-5a47-4d8e-9b61-0c2d7e8f4a10';

const EXAMPLE_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-7d1e3c5a9b2f4e61-01';

function signed(name, summary, deliveryId, payload, attempt = '1', extraHeaders = {}) {
  const timestamp = '1714564800';
  const key = Buffer.from(EXAMPLE_SECRET.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${deliveryId}.${timestamp}.${JSON.stringify(payload)}`).digest('base64');
  return {
    name,
    summary: `${summary} Signed with the example secret ${EXAMPLE_SECRET}.`,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'tmf688-hub',
      'webhook-id': deliveryId,
      'webhook-timestamp': timestamp,
      'webhook-attempt': attempt,
      'webhook-signature': `v1,${signature}`,
      traceparent: EXAMPLE_TRACEPARENT,
      ...extraHeaders,
    },
    payload,
  };
}

const topic = {
  id: TOPIC_ID,
  href: `${BASE}/topic/${TOPIC_ID}`,
  name: 'productOrder',
  headerQuery: 'domain=commercial',
  '@type': 'Topic',
};
const examples = {
  EventNotification: signed('productOrderStateChange', 'A product order state change published to a topic.', 'c5a7e0f2-8d3b-4b6a-9e1f-2a4c6d8e0b13', {
    id: '9b2e4c6a-1d3f-4e5b-8a7c-6d5e4f3a2b10',
    href: `${BASE}/topic/${TOPIC_ID}/event/9b2e4c6a-1d3f-4e5b-8a7c-6d5e4f3a2b10`,
    eventId: 'PO-1042-completed',
    eventType: 'ProductOrderStateChangeEvent',
    domain: 'commercial',
    event: { productOrder: { id: 'PO-1042', state: 'completed' } },
    '@type': 'Event',
    eventTime: '2024-05-01T12:00:00.000Z',
  }),
  TopicCreateEvent: signed('topicCreated', 'A topic was created.', '0e8d6c4b-2a19-4f7e-8d5c-3b1a9f7e5d21', {
    id: 'a1c3e5f7-0b2d-4f6a-8c1e-3d5f7a9b1c32',
    eventId: 'a1c3e5f7-0b2d-4f6a-8c1e-3d5f7a9b1c32',
    eventTime: '2024-05-01T12:00:00.000Z',
    eventType: 'TopicCreateEvent',
    event: { topic },
  }),
  TopicDeleteEvent: signed('topicDeleted', 'A topic was deleted.', '6f4d2b0a-9e8c-4a7b-b6d5-4c3b2a1f0e43', {
    id: 'b2d4f6a8-1c3e-4a5b-9d7f-0e2c4a6b8d54',
    eventId: 'b2d4f6a8-1c3e-4a5b-9d7f-0e2c4a6b8d54',
    eventTime: '2024-05-02T08:30:00.000Z',
    eventType: 'TopicDeleteEvent',
    event: { topic },
  }),
  ProjectedNotification: signed('projected', 'The state change above, for a hub whose query is `fields=event.productOrder.state`.', '2d4f6b8c-0a1e-4c3b-a5d7-9f8e7d6c5b65', {
    id: '9b2e4c6a-1d3f-4e5b-8a7c-6d5e4f3a2b10',
    href: `${BASE}/topic/${TOPIC_ID}/event/9b2e4c6a-1d3f-4e5b-8a7c-6d5e4f3a2b10`,
    '@type': 'Event',
    event: { productOrder: { state: 'completed' } },
  }),
};
{
  const event = examples.EventNotification.payload;
  const ce = (id) => ({
    specversion: '1.0',
    id,
    source: `${BASE}/topic/${TOPIC_ID}`,
    type: event.eventType,
    time: event.eventTime,
    subject: event.event.productOrder.id,
    datacontenttype: 'application/json',
  });
  const structuredId = '8a6c4e2f-1b3d-4f5a-9c7e-5d3b1f9e7c76';
  examples.CloudEventNotification = signed('cloudEventStructured', 'The state change above for a hub with "format": "cloudevents".', structuredId,
    { ...ce(structuredId), data: event }, '1', { 'content-type': 'application/cloudevents+json' });
  const binaryId = '4e2c0a8f-6d5b-4c3a-8f1e-7b9d5c3a1e87';
  const binary = signed('cloudEventBinary', 'The state change above for a hub with "format": "cloudevents-binary".', binaryId, event);
  const { datacontenttype: _inContentType, ...attributes } = ce(binaryId);
  Object.assign(binary.headers, Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`ce-${name}`, value])));
  examples.CloudEventBinaryNotification = binary;
  examples.StreamEvent = { name: 'streamedEvent', summary: 'The state change above, as one text frame of the WebSocket stream.', payload: event };
  examples.StreamCloudEvent = { name: 'streamedCloudEvent', summary: 'The same frame with the subprotocol cloudevents.json: the CloudEvent id is the event id.', payload: { ...ce(event.id), data: event } };
}

// --- messages, channels, operations ------------------------------------------------------------------
const message = (name, title, summary, schema, headers = 'DeliveryHeaders', contentType = 'application/json') => ({
  name,
  title,
  summary,
  contentType,
  ...(headers ? { headers: ref(headers) } : {}),
  payload: ref(schema),
  examples: [examples[name]],
});

const messages = {
  EventNotification: message('EventNotification', 'Event notification', 'An event published to a topic (TMF688 Event with id and href).', 'EventNotification'),
  TopicCreateEvent: message('TopicCreateEvent', 'TopicCreateEvent', 'A topic was created (TMF688 TopicCreateEvent).', 'TopicCreateEventNotification'),
  TopicDeleteEvent: message('TopicDeleteEvent', 'TopicDeleteEvent', 'A topic was deleted (TMF688 TopicDeleteEvent).', 'TopicDeleteEventNotification'),
  ProjectedNotification: message('ProjectedNotification', 'Projected notification', 'Any of the notifications above, cut down by a fields= query.', 'ProjectedNotification'),
  CloudEventNotification: message('CloudEventNotification', 'CloudEvent (structured mode)', 'Any of the notifications above as a structured-mode CloudEvent, for subscriptions with "format": "cloudevents".', 'CloudEventNotification', 'StructuredCloudEventHeaders', 'application/cloudevents+json'),
  CloudEventBinaryNotification: message('CloudEventBinaryNotification', 'CloudEvent (binary mode)', 'Any of the notifications above with the CloudEvent attributes as ce-* headers, for subscriptions with "format": "cloudevents-binary".', 'AnyNotification', 'BinaryCloudEventHeaders'),
  StreamEvent: message('StreamEvent', 'Streamed event', 'One event on the WebSocket stream (one JSON text frame).', 'StreamedNotification', null),
  StreamCloudEvent: message('StreamCloudEvent', 'Streamed CloudEvent', 'One event on the WebSocket stream with the subprotocol cloudevents.json.', 'CloudEventNotification', null, 'application/cloudevents+json'),
};
notificationSchemas.AnyNotification = { description: 'Any notification a subscription receives.', ...anyNotification };

const DELIVERY =
  'Delivery: one HTTP POST per matching subscription, after the publishing request has been answered; the ' +
  'notifications are kept in a durable outbox, so they survive a restart. At-least-once: a notification can ' +
  'arrive more than once (deduplicate on `webhook-id`) and in no guaranteed order. Any 2xx answer means ' +
  'delivered. Anything else, a timeout (`HUB_DELIVERY_TIMEOUT`, default 10s) or a network error is retried ' +
  'after each delay of `HUB_RETRY_SCHEDULE` (default 5s, 30s, 2m, 10m, 1h, 6h) with ±20% jitter; a ' +
  '`Retry-After` on 429 or 503 is honoured up to `HUB_RETRY_AFTER_MAX` (default 1h). When the schedule is used ' +
  'up the delivery is dead: kept, listed and redeliverable through the delivery API. `410 Gone` unregisters ' +
  'the subscription (no retry). Redirects are never followed: a 3xx is a failed attempt.';

const SUFFIX =
  'With `HUB_LISTENER_SUFFIX=true` the hub appends `/listener/{eventType in lowerCamel}` to the callback ' +
  '(trailing slashes removed first), the client-side paths of the TMF688 specification: `https://crm.example.com/tmf` ' +
  'then receives `https://crm.example.com/tmf/listener/productOrderStateChangeEvent`, ' +
  '`.../listener/topicCreateEvent` and `.../listener/topicDeleteEvent`.';

const callbackParameter = (registeredWith) => ({
  description: `The \`callback\` URL given to ${registeredWith}, as registered (http or https). ${SUFFIX}`,
  examples: ['https://crm.example.com/tmf688/notifications'],
});

const channels = {
  topicHubCallback: {
    address: '{callback}',
    title: 'Topic hub callback',
    summary: `The callback of a hub registered with POST ${API}/topic/{topicId}/hub.`,
    description:
      'Receives every event published to the topic that passes the topic\'s `headerQuery` and `contentQuery` and ' +
      'the hub\'s own `query` (TMF630 syntax on the notification, e.g. `eventType=ProductOrderStateChangeEvent`). ' +
      `${SUFFIX}`,
    parameters: { callback: callbackParameter(`POST ${API}/topic/{topicId}/hub`) },
    messages: {
      EventNotification: { $ref: '#/components/messages/EventNotification' },
      ProjectedNotification: { $ref: '#/components/messages/ProjectedNotification' },
      CloudEventNotification: { $ref: '#/components/messages/CloudEventNotification' },
      CloudEventBinaryNotification: { $ref: '#/components/messages/CloudEventBinaryNotification' },
    },
  },
  listenerCallback: {
    address: '{callback}',
    title: 'API listener callback',
    summary: `The callback of a listener registered with POST ${API}/hub.`,
    description:
      'Receives the API\'s own notifications: TopicCreateEvent when a topic is created, TopicDeleteEvent when one is ' +
      `deleted, filtered by the registration's \`query\` (e.g. \`eventType=TopicDeleteEvent\`). ${SUFFIX}`,
    parameters: { callback: callbackParameter(`POST ${API}/hub`) },
    messages: {
      TopicCreateEvent: { $ref: '#/components/messages/TopicCreateEvent' },
      TopicDeleteEvent: { $ref: '#/components/messages/TopicDeleteEvent' },
      ProjectedNotification: { $ref: '#/components/messages/ProjectedNotification' },
      CloudEventNotification: { $ref: '#/components/messages/CloudEventNotification' },
      CloudEventBinaryNotification: { $ref: '#/components/messages/CloudEventBinaryNotification' },
    },
  },
  eventStream: {
    address: `${API}/topic/{topicId}/event/stream`,
    title: 'Live event stream (WebSocket)',
    summary: 'The WebSocket upgrade of the live event stream of a topic (the same path serves Server-Sent Events without the upgrade).',
    description:
      'One JSON text frame per event published to the topic from the moment of the upgrade, filtered and projected by ' +
      '`query` (the hub query language); with `lastEventId` the stream first replays the events published after that ' +
      'event. Subprotocols: `tmf688.json` (the Event, the default) or `cloudevents.json` (a structured CloudEvent). A ping ' +
      'every `HUB_STREAM_HEARTBEAT`. Close codes: 1013 when the client does not keep up (its unsent data passed ' +
      '`HUB_STREAM_BUFFER` and it took none of it for a heartbeat), 1001 when the hub shuts down, 1000 when the topic ' +
      'is deleted, 1011 on a failure; the reason names the `lastEventId` to resume from. A refused upgrade (API key, ' +
      'unknown topic, bad parameter) is an HTTP answer with a TMF Error body.',
    servers: [{ $ref: '#/servers/hub' }],
    parameters: { topicId: { description: 'The id of the topic.' } },
    bindings: {
      ws: {
        method: 'GET',
        query: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'Hub query language, e.g. eventType=AlarmCreateEvent&fields=event.alarm.id' },
            lastEventId: { type: 'string', description: 'Resume after this event id.' },
          },
          additionalProperties: false,
        },
        headers: {
          type: 'object',
          properties: {
            Authorization: { type: 'string', description: 'Bearer <key> when HUB_API_KEYS is set.' },
            'Sec-WebSocket-Protocol': {
              type: 'string',
              description: 'tmf688.json or cloudevents.json; browsers, which cannot set Authorization, may add bearer.<key> or base64url.bearer.<key in base64url> (never echoed).',
            },
          },
        },
        bindingVersion: '0.1.0',
      },
    },
    messages: {
      StreamEvent: { $ref: '#/components/messages/StreamEvent' },
      StreamCloudEvent: { $ref: '#/components/messages/StreamCloudEvent' },
    },
  },
};

const CALLBACK_CHANNELS = [{ $ref: '#/servers/listeners' }];
channels.topicHubCallback.servers = CALLBACK_CHANNELS;
channels.listenerCallback.servers = CALLBACK_CHANNELS;

const LISTENER_SECURITY = ['webhookSignature', 'listenerBearer', 'listenerBasic', 'listenerOAuth2', 'listenerMutualTls'];
const CREDENTIALS_NOTE =
  'Set with the hub\'s write-only `auth` or `tls` attribute (topic hubs and POST /hub registrations), changed with ' +
  'POST .../hub/{hubId}/credentials; sent with every attempt, the validation handshake and replays, beside the ' +
  'signature and any static `headers` the hub was given. See docs/security.md, "Listeners that require credentials".';

const operation = (channel, summary, messageNames) => ({
  action: 'send',
  channel: { $ref: `#/channels/${channel}` },
  summary,
  description: DELIVERY,
  // What a listener may require of each delivery (issue 25): the signature, and whichever of the
  // hub's credentials (`auth`, `tls`) it was given; the signature combines with any of them.
  security: LISTENER_SECURITY.map((name) => ({ $ref: `#/components/securitySchemes/${name}` })),
  bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
  messages: messageNames.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` })),
});

const operations = {
  sendEventNotification: operation('topicHubCallback', 'POST each matching published event to a topic hub callback.', ['EventNotification', 'ProjectedNotification', 'CloudEventNotification', 'CloudEventBinaryNotification']),
  sendTopicCreateEvent: operation('listenerCallback', 'POST a TopicCreateEvent to each matching API listener when a topic is created.', ['TopicCreateEvent', 'ProjectedNotification', 'CloudEventNotification', 'CloudEventBinaryNotification']),
  sendTopicDeleteEvent: operation('listenerCallback', 'POST a TopicDeleteEvent to each matching API listener when a topic is deleted.', ['TopicDeleteEvent', 'ProjectedNotification', 'CloudEventNotification', 'CloudEventBinaryNotification']),
  streamEvents: {
    action: 'send',
    channel: { $ref: '#/channels/eventStream' },
    summary: 'Send each matching event to a WebSocket stream client, one text frame each.',
    security: [{ $ref: '#/components/securitySchemes/apiKey' }],
    messages: [{ $ref: '#/channels/eventStream/messages/StreamEvent' }, { $ref: '#/channels/eventStream/messages/StreamCloudEvent' }],
  },
};

addPatchStream({ schemas: notificationSchemas, examples, messages, channel: channels.eventStream, operation: operations.streamEvents, message });

const document = {
  asyncapi: '3.0.0',
  info: {
    title: 'tmf688-hub notifications',
    version: pkg.version,
    description: [
      'What tmf688-hub, a TM Forum TMF688 v4 Event Management hub, sends to listeners.',
      '',
      'TMF688 uses the hub/listener pattern: a client registers a `callback` URL, and the hub POSTs each matching ' +
        'notification to it as JSON.',
      '',
      `* \`POST ${API}/topic/{topicId}/hub\` subscribes to the events published to one topic (channel \`topicHubCallback\`).`,
      `* \`POST ${API}/hub\` registers for the API's own notifications, TopicCreateEvent and TopicDeleteEvent (channel \`listenerCallback\`).`,
      '',
      'Both accept a `query` that filters (and with `fields=` projects) what is sent, and an optional `secret`: ' +
        'deliveries are then signed (Standard Webhooks, header `webhook-signature`).',
      '',
      DELIVERY,
      '',
      'The REST API itself (where callbacks are registered) is described by the OpenAPI document ' +
        '`openapi/tmf688-event.oas3.json`; the TMF schemas here are copied from it.',
    ].join('\n'),
    license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    externalDocs: {
      description: 'Standard Webhooks specification (headers and signature)',
      url: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
    },
  },
  defaultContentType: 'application/json',
  servers: {
    hub: { host: 'hub.example.com', protocol: 'wss', description: 'The hub itself (ws:// without TLS): the WebSocket live stream.' },
    listeners: {
      host: '{listenerHost}',
      protocol: 'https',
      description: 'The listeners: whatever host the registered callback URL names (http or https).',
      variables: { listenerHost: { description: 'Host (and port) of the callback URL.', examples: ['crm.example.com'] } },
    },
  },
  channels,
  operations,
  components: {
    schemas: { ...notificationSchemas, ...tmfSchemas },
    messages,
    securitySchemes: {
      apiKey: {
        type: 'http',
        scheme: 'bearer',
        description:
          'Only when HUB_API_KEYS is set: Authorization: Bearer <key> on the upgrade request, or for browsers the ' +
          'subprotocol bearer.<key> (or base64url.bearer.<key in base64url>) beside tmf688.json or cloudevents.json.',
      },
      listenerBearer: {
        type: 'http',
        scheme: 'bearer',
        description: `Only when the hub has \`"auth": {"type": "bearer", "token": ...}\`: Authorization: Bearer <token>. ${CREDENTIALS_NOTE}`,
      },
      listenerBasic: {
        type: 'http',
        scheme: 'basic',
        description: `Only when the hub has \`"auth": {"type": "basic", "username": ..., "password": ...}\`. ${CREDENTIALS_NOTE}`,
      },
      listenerOAuth2: {
        type: 'oauth2',
        description:
          'Only when the hub has `"auth": {"type": "oauth2", "tokenUrl": ..., "clientId": ..., "clientSecret": ...}`: ' +
          'Authorization: Bearer <access token> from the client-credentials grant at the hub\'s own `tokenUrl` (the one ' +
          'below is an example), with its `scope` and `audience`; cached until 30 s before it expires, fetched again ' +
          `once when the listener answers 401. ${CREDENTIALS_NOTE}`,
        flows: { clientCredentials: { tokenUrl: 'https://sso.partner.example/realms/partners/protocol/openid-connect/token', availableScopes: {} } },
      },
      listenerMutualTls: {
        type: 'X509',
        description: `Only when the hub has \`"tls": {"certificate": ..., "privateKey": ..., "ca": ...}\`: the hub presents that client certificate (mutual TLS) and trusts \`ca\` for the listener's. ${CREDENTIALS_NOTE}`,
      },
      webhookSignature: {
        type: 'httpApiKey',
        name: 'webhook-signature',
        in: 'header',
        description:
          'Standard Webhooks signature, present only when the subscription (topic hub or POST /hub registration) ' +
          'was created with a `secret` (16 to 256 characters, never returned by the API). The header is ' +
          '`v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{raw body}`. A secret written ' +
          '`whsec_<base64>` is used base64-decoded (verify with `new Webhook(secret)` of the `standardwebhooks` ' +
          'package); any other string is used as its UTF-8 bytes (`new Webhook(secret, { format: \'raw\' })`). ' +
          'Verify against the raw body before parsing it, compare in constant time, and refuse timestamps more ' +
          'than a few minutes old: each attempt carries a fresh timestamp, so a retry is never refused for its age.',
      },
    },
  },
};

const text = `${JSON.stringify(document, null, 2)}\n`;
if (process.argv.includes('--stdout')) process.stdout.write(text);
else {
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT}`);
}
