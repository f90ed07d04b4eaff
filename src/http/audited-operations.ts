/**
 * The operations whose success is recorded in the audit trail (api-dispatcher.ts records them after
 * the handler answers), with what each changes. Every other operation that is not a GET is in
 * NOT_AUDITED with the reason: test/unit/audited-operations.test.ts fails on an operation of the
 * contract that is in neither, so a new operation cannot be forgotten. Refusals (401, 403, 429) are
 * recorded where they are decided, for every operation.
 */
export const AUDITED_OPERATIONS: Readonly<Record<string, string>> = {
  createTopic: 'creates a topic',
  deleteTopic: 'deletes a topic with its hubs and events',
  createHub: 'subscribes a hub to a topic',
  deleteHub: 'deletes a topic hub and its deliveries',
  registerListener: 'registers a listener of the API\'s own notifications (POST /hub)',
  unregisterListener: 'deletes a POST /hub registration and its deliveries',
  rotateTopicHubSecret: 'sets a new signing secret on a topic hub',
  rotateListenerSecret: 'sets a new signing secret on a POST /hub registration',
  replaceTopicHubCredentials: 'replaces what a topic hub\'s listener requires of deliveries (auth, client certificate, headers)',
  replaceListenerCredentials: 'replaces what a POST /hub registration\'s listener requires of deliveries (auth, client certificate, headers)',
  replayTopicHub: 'queues the stored events of a window to a hub again',
  redeliverTopicHubDelivery: 'sends a delivery of a topic hub again',
  redeliverListenerDelivery: 'sends a delivery of a POST /hub registration again',
  registerSchema: 'registers a schema version of an event type',
  importSchema: 'registers the notification schemas of an API document',
  deleteSchemaType: 'deletes an event type and every version of its schema',
  clearInbox: 'empties a mock inbox',
  applyOdaComponent: 'applies an ODA Component manifest: creates and deletes the topics and hubs it declares',
  deleteOdaComponent: 'deletes the topics and hubs an ODA Component manifest made, and its record',
};

/** Operations that are not GETs and are not recorded, and why. */
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  createEvent: 'publishing: the stored event is its own record, and a record per event would double the writes of ingest',
  receiveInboxEntry: 'a mock receiver: the inbox entry is the record of what arrived',
  receiveInboxListenerEntry: 'a mock receiver: the inbox entry is the record of what arrived',
  listenToTopicCreateEvent: 'a mock receiver: the inbox entry is the record of what arrived',
  listenToTopicChangeEvent: 'a mock receiver: the inbox entry is the record of what arrived',
  listenToTopicDeleteEvent: 'a mock receiver: the inbox entry is the record of what arrived',
  handshakeInbox: 'the CloudEvents handshake (OPTIONS): it changes nothing',
};
