import { PERMISSIONS } from '../../src/access/permissions';
import { loadOpenApiDocument } from '../../src/http/contract-document';
import { OPERATION_HANDLERS } from '../../src/http/operation-handlers';
import { OPERATION_PERMISSIONS, permissionOf } from '../../src/http/operation-permissions';

const contractOperations = (): string[] => {
  const document = loadOpenApiDocument() as unknown as { paths: Record<string, Record<string, { operationId: string }>> };
  return Object.values(document.paths).flatMap((path) => Object.values(path).map((operation) => operation.operationId)).sort();
};

describe('OPERATION_PERMISSIONS', () => {
  it('should give every operation of the contract a permission, and name no other', () => {
    const operations = contractOperations();
    expect(operations.filter((id) => !(id in OPERATION_PERMISSIONS))).toEqual([]);
    expect(Object.keys(OPERATION_PERMISSIONS).sort()).toEqual(operations);
    // The same operations as the handlers: a new operation needs both.
    expect(Object.keys(OPERATION_HANDLERS).sort()).toEqual(operations);
  });

  it('should use only the four permissions', () => {
    for (const permission of Object.values(OPERATION_PERMISSIONS)) expect(PERMISSIONS).toContain(permission);
  });

  it.each<[string, string]>([
    // The table: readers read topics, events, schemas and the stream; publishers publish; subscribers
    // manage hubs and everything under them; admins write topics and schemas and own the inboxes.
    ['listTopic', 'topic:read'],
    ['streamEvent', 'topic:read'],
    ['retrieveSchema', 'topic:read'],
    ['createEvent', 'event:publish'],
    ['createHub', 'hub:manage'],
    ['registerListener', 'hub:manage'],
    ['replayTopicHub', 'hub:manage'],
    ['retrieveListenerStats', 'hub:manage'],
    ['createTopic', 'admin'],
    ['registerSchema', 'admin'],
    ['listSchemaValidationFailure', 'admin'],
    ['receiveInboxEntry', 'admin'],
    ['listenToTopicCreateEvent', 'admin'],
  ])('should ask %s for %s', (operationId, permission) => {
    expect(permissionOf(operationId)).toBe(permission);
  });

  it('should fail closed: an operation it does not know needs admin', () => {
    expect(permissionOf('somethingNew')).toBe('admin');
  });
});
