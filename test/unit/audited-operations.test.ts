import { OPEN_PRINCIPAL } from '../../src/access/principal';
import type { ApiCall } from '../../src/http/api-front-door';
import type { ApiRequest } from '../../src/http/api-request';
import { AUDITED_OPERATIONS, NOT_AUDITED } from '../../src/http/audited-operations';
import { loadOpenApiDocument } from '../../src/http/contract-document';
import { successAuditEntry } from '../../src/http/success-audit';

const ANONYMOUS = 'anonymous';

const document = loadOpenApiDocument() as unknown as { paths: Record<string, Record<string, { operationId: string }>> };
const operations = Object.values(document.paths).flatMap((item) => Object.entries(item).map(([method, op]) => ({ method, operationId: op.operationId })));
const changing = operations.filter((o) => o.method !== 'get').map((o) => o.operationId);

/** The table of audited operations against the contract: a new operation cannot be left out unnoticed. */
describe('AUDITED_OPERATIONS and NOT_AUDITED', () => {
  it.each(changing)('should say of %s whether it is audited or why not, in exactly one table', (operationId) => {
    expect([Object.hasOwn(AUDITED_OPERATIONS, operationId), Object.hasOwn(NOT_AUDITED, operationId)].filter(Boolean)).toHaveLength(1);
  });

  it('should name only operations of the contract that are not GETs', () => {
    expect([...Object.keys(AUDITED_OPERATIONS), ...Object.keys(NOT_AUDITED)].filter((id) => !changing.includes(id))).toEqual([]);
  });

  it('should give each entry a reason or what it changes', () => {
    expect(Object.values({ ...AUDITED_OPERATIONS, ...NOT_AUDITED }).filter((text) => text.trim().length < 10)).toEqual([]);
  });

  it.each(['createTopic', 'deleteTopic', 'createHub', 'deleteHub', 'registerListener', 'unregisterListener', 'rotateTopicHubSecret', 'rotateListenerSecret',
    'replayTopicHub', 'redeliverTopicHubDelivery', 'redeliverListenerDelivery', 'registerSchema', 'importSchema', 'deleteSchemaType', 'clearInbox'])(
    'should audit %s, a state change the issue names',
    (operationId) => expect(Object.hasOwn(AUDITED_OPERATIONS, operationId)).toBe(true),
  );

  it.each(['createEvent', 'receiveInboxEntry', 'receiveInboxListenerEntry', 'listenToTopicCreateEvent', 'listenToTopicChangeEvent', 'listenToTopicDeleteEvent'])(
    'should not audit %s (publishing and the mock receivers)',
    (operationId) => expect(Object.hasOwn(AUDITED_OPERATIONS, operationId)).toBe(false),
  );
});

const request = (extra: Record<string, unknown> = {}): ApiRequest =>
  ({ principal: OPEN_PRINCIPAL, baseUrl: 'http://hub.test/tmf-api/event/v4', params: {}, queryPairs: [], headers: {}, body: undefined, requiredFor: () => [], ...extra }) as ApiRequest;
const call = (operationId: string, extra?: Record<string, unknown>): ApiCall => ({ operationId, request: request(extra) });
const HREF = 'http://hub.test/tmf-api/event/v4/topic/t1';
const PATH = '/tmf-api/event/v4/topic/t1';

describe('successAuditEntry', () => {
  it.each<[string, ApiCall, { status: number; headers?: Record<string, string> }, unknown]>([
    ['a create: the Location', call('createTopic'), { status: 201, headers: { Location: HREF } }, { principal: ANONYMOUS, operation: 'createTopic', resource: HREF, status: 201 }],
    ['a delete: the path', call('deleteTopic'), { status: 204 }, { principal: ANONYMOUS, operation: 'deleteTopic', resource: PATH, status: 204 }],
    ['a schema registered again (200, no Location): the path', call('registerSchema'), { status: 200 }, { principal: ANONYMOUS, operation: 'registerSchema', resource: PATH, status: 200 }],
    ['the principal the front door set', call('deleteHub', { principal: { name: 'billing', roles: ['subscriber'] } }), { status: 204 }, { principal: 'billing', operation: 'deleteHub', resource: PATH, status: 204 }],
    ['a publish: nothing', call('createEvent'), { status: 201, headers: { Location: HREF } }, undefined],
    ['a mock receiver: nothing', call('receiveInboxEntry'), { status: 201 }, undefined],
    ['a read: nothing', call('listTopic'), { status: 200 }, undefined],
    ['an unknown operation: nothing', call('toString'), { status: 200 }, undefined],
    ['an audited operation that did not succeed: nothing', call('deleteTopic'), { status: 404 }, undefined],
  ])('should record %s', (_label, given, result, expected) => {
    expect(successAuditEntry(given, PATH, result)).toEqual(expected);
  });
});
