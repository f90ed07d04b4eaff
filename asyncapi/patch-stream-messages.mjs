// The WebSocket stream's mode=patch messages (issue 28): a snapshot per resource, then one RFC 6902
// patch per change. Applied by build-asyncapi.mjs; kept apart so the generator stays readable.

const ORDER = {
  id: '42',
  href: 'https://orders.example/tmf-api/productOrderingManagement/v4/productOrder/42',
  '@type': 'ProductOrder',
  state: 'acknowledged',
  priority: '4',
};

/**
 * Adds the StreamSnapshot and StreamPatch messages, their schemas and examples, to the eventStream
 * channel and the streamEvents operation (all mutated). `message` is the generator's own.
 */
export function addPatchStream({ schemas, examples, messages, channel, operation, message }) {
  schemas.StreamSnapshotMessage = {
    description: 'mode=patch: the first frames, one per resource of the topic: its latest state (GET /topic/{topicId}/state/{resourceId}).',
    type: 'object',
    required: ['type', 'resourceId', 'state'],
    properties: {
      type: { const: 'snapshot' },
      resourceId: { type: 'string' },
      state: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
    additionalProperties: false,
  };
  schemas.StreamPatchMessage = {
    description:
      'mode=patch: one frame per change after the snapshot: the RFC 6902 operations that turn the resource as the client holds it ' +
      'into its new state (a new resource: add of path ""; a deleted one: remove of path ""). Applied in order to the snapshot, ' +
      'they give exactly the latest states. eventId and eventType name the event of the change.',
    type: 'object',
    required: ['type', 'resourceId', 'eventId', 'eventType', 'patch'],
    properties: {
      type: { const: 'patch' },
      resourceId: { type: 'string' },
      eventId: { type: 'string' },
      eventType: { type: 'string' },
      patch: {
        type: 'array',
        items: {
          type: 'object',
          required: ['op', 'path'],
          properties: {
            op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
            path: { type: 'string', description: 'A JSON Pointer (RFC 6901) into the resource.' },
            from: { type: 'string' },
            value: {},
          },
        },
      },
    },
    additionalProperties: false,
  };
  examples.StreamSnapshot = { name: 'snapshot', summary: 'A productOrder of a polled topic, as a mode=patch stream starts.', payload: { type: 'snapshot', resourceId: '42', state: ORDER } };
  examples.StreamPatch = {
    name: 'patch',
    summary: 'The order then went to inProgress.',
    payload: {
      type: 'patch',
      resourceId: '42',
      eventId: 'poll:3f1c9a0b7d2e4f68:42:3:9b2d0c4e6f8a1b3c5d7e9f0a1b2c3d4e',
      eventType: 'ProductOrderAttributeValueChangeEvent',
      patch: [{ op: 'replace', path: '/state', value: 'inProgress' }],
    },
  };
  messages.StreamSnapshot = message('StreamSnapshot', 'Snapshot (mode=patch)', 'The latest state of one resource, first on a mode=patch stream.', 'StreamSnapshotMessage', null);
  messages.StreamPatch = message('StreamPatch', 'Patch (mode=patch)', 'One change of one resource, as RFC 6902 operations, on a mode=patch stream.', 'StreamPatchMessage', null);
  channel.description +=
    ' With `mode=patch`: first one snapshot frame per resource (its latest state), then one patch frame per change (RFC 6902); ' +
    'with `lastEventId`, no snapshot, the patches of the changes missed.';
  channel.bindings.ws.query.properties.mode = { type: 'string', enum: ['events', 'patch'], description: 'patch: snapshot, then patches (not with query).' };
  for (const name of ['StreamSnapshot', 'StreamPatch']) {
    channel.messages[name] = { $ref: `#/components/messages/${name}` };
    operation.messages.push({ $ref: `#/channels/eventStream/messages/${name}` });
  }
}
