// tmf688-hub extension (issue 28): a topic whose source polls an HTTP API (a TMF list or resource) and
// publishes what changed as TMF events. Applied by build-from-swagger.mjs after the broker sources;
// kept apart so the generator's own conversion stays readable.

/** The attributes of a poll source, beside the brokers' in the topic's `source`. */
const POLL_ATTRIBUTES = {
  poll: {
    type: 'string',
    maxLength: 2048,
    description:
      'tmf688-hub extension, a poll source: the http(s) URL of a TMF list (read page by page with offset and limit until ' +
      'X-Total-Count or a short page) or of one resource, without user information. GET under the same rules as callbacks ' +
      '(HUB_CALLBACK_POLICY), within HUB_POLL_TIMEOUT and HUB_POLL_MAX_BYTES. Each resource (keyed by id) new since the last poll ' +
      'publishes <Type>CreateEvent, changed <Type>AttributeValueChangeEvent (fieldPath: the changed attributes, comma-separated; ' +
      'patch: the RFC 6902 JSON Patch from the old state to the new) and, when its state or status changed, <Type>StateChangeEvent; ' +
      'one gone from the list <Type>DeleteEvent with its last state. The first poll publishes nothing unless emitInitial.',
  },
  interval: { type: 'string', default: '1m', description: 'Poll source: how often to poll, 1s to 24h (500ms, 10s, 5m, 1h); failures back off.' },
  resourceType: {
    type: 'string',
    pattern: '^[A-Z][A-Za-z0-9]{0,99}$',
    description: "Poll source: the resources' type, naming the events (ProductOrder: ProductOrderCreateEvent, event.productOrder); else each resource's @type.",
  },
  emitInitial: { type: 'boolean', default: false, description: 'Poll source: the first poll publishes a CreateEvent per resource too.' },
  lastPollAt: { type: 'string', format: 'date-time', description: 'Read-only. Poll source: when the last poll ran (recorded by the hub).' },
  lastError: { type: 'string', description: 'Read-only. Poll source: why the last poll failed, or what it left out; absent after a clean poll.' },
};

/**
 * Adds the poll source's attributes to the topics' `source` schema (mutated): `auth` takes the
 * shapes of a listener's (ListenerAuth, secrets write-only).
 */
export function addPollSource({ schemas }, { ref, fixNote }) {
  for (const name of ['Topic_Create', 'Topic']) {
    const source = schemas[name].properties.source;
    source.description +=
      ' Or a poll source (tmf688-hub extension): {"poll": "<url>", "interval", "resourceType", "emitInitial", "auth"}, whose ' +
      'lastPollAt and lastError the hub records.';
    Object.assign(source.properties, POLL_ATTRIBUTES, {
      auth: { allOf: [ref('ListenerAuth')], description: 'Poll source: the Authorization of every poll (bearer, basic or OAuth2 client credentials); secrets write-only.' },
    });
    source.oneOf.push({ required: ['poll'] });
    fixNote(schemas[name], 'source.poll (tmf688-hub extension): a poll source, an HTTP API polled for changes');
  }
}
