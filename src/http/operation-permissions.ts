import type { Permission } from '../access/permissions';

/**
 * The permission each operation of the contract needs (docs/security.md shows this table, and a
 * test holds it to the contract: an operation without an entry fails it). The front door checks it
 * before anything is read; the services then check topic scopes where they read the topic, and
 * ownership where they read the hub.
 *
 * - topic:read: topics, events and the live stream (on topics in scope), and schemas;
 * - event:publish: publishing (on topics in scope);
 * - hub:manage: a principal's own hubs and POST /hub registrations, and everything under them;
 * - admin: topics and schemas written, the schema validation failures (they span every topic), the
 *   mock inboxes and /listener/* endpoints (anyone posting there fills them), the audit trail, ODA
 *   event wiring (/odaComponent).
 */
export const OPERATION_PERMISSIONS: Readonly<Record<string, Permission>> = {
  listTopic: 'topic:read',
  retrieveTopic: 'topic:read',
  createTopic: 'admin',
  deleteTopic: 'admin',

  listEvent: 'topic:read',
  retrieveEvent: 'topic:read',
  streamEvent: 'topic:read',
  createEvent: 'event:publish',
  // The latest states a poll source keeps: read like the topic's events.
  listTopicState: 'topic:read',
  retrieveTopicState: 'topic:read',

  listHub: 'hub:manage',
  createHub: 'hub:manage',
  retrieveHub: 'hub:manage',
  deleteHub: 'hub:manage',
  rotateTopicHubSecret: 'hub:manage',
  replaceTopicHubCredentials: 'hub:manage',
  replayTopicHub: 'hub:manage',
  retrieveTopicHubStats: 'hub:manage',
  listTopicHubDelivery: 'hub:manage',
  retrieveTopicHubDelivery: 'hub:manage',
  redeliverTopicHubDelivery: 'hub:manage',

  registerListener: 'hub:manage',
  retrieveListener: 'hub:manage',
  unregisterListener: 'hub:manage',
  rotateListenerSecret: 'hub:manage',
  replaceListenerCredentials: 'hub:manage',
  retrieveListenerStats: 'hub:manage',
  listListenerDelivery: 'hub:manage',
  retrieveListenerDelivery: 'hub:manage',
  redeliverListenerDelivery: 'hub:manage',

  listSchemaType: 'topic:read',
  listSchemaVersion: 'topic:read',
  retrieveSchema: 'topic:read',
  importSchema: 'admin',
  registerSchema: 'admin',
  deleteSchemaType: 'admin',
  listSchemaValidationFailure: 'admin',

  receiveInboxEntry: 'admin',
  receiveInboxListenerEntry: 'admin',
  listInboxEntry: 'admin',
  clearInbox: 'admin',
  handshakeInbox: 'admin',
  listenToTopicCreateEvent: 'admin',
  listenToTopicChangeEvent: 'admin',
  listenToTopicDeleteEvent: 'admin',
  listTopicCreateEventReceived: 'admin',
  listTopicChangeEventReceived: 'admin',
  listTopicDeleteEventReceived: 'admin',

  listAuditRecord: 'admin',
  retrieveAuditRecord: 'admin',

  // ODA event wiring: a manifest creates and deletes topics and hubs of any owner's choosing.
  applyOdaComponent: 'admin',
  retrieveOdaComponent: 'admin',
  deleteOdaComponent: 'admin',
};

/** The permission of an operation; admin for one the table lacks (the test makes that impossible, this makes it fail closed). */
export const permissionOf = (operationId: string): Permission => OPERATION_PERMISSIONS[operationId] ?? 'admin';
