import type OpenAPIBackend from 'openapi-backend';
import { requestValidation, type ContractRequest } from '../../src/http/request-validation';
import { pathTemplateParams } from '../../src/http/path-template-params';
import { sharedApi } from '../helpers/test-app';

const EVENT = { eventType: 'X', event: { a: 1 } };
const post = (path: string, body: unknown, contentType: string | undefined = 'application/json', query: ContractRequest['query'] = {}): ContractRequest => ({ method: 'POST', path, query, body, contentType });
const get = (path: string, query: ContractRequest['query'] = {}): ContractRequest => ({ method: 'GET', path, query, body: undefined, contentType: undefined });

// [operation, request, refused]: the compiled check must give openapi-backend's own errors, passing and refusing alike.
const CASES: Array<[string, ContractRequest, boolean]> = [
  ['createEvent', post('/topic/t1/event', EVENT), false],
  ['createEvent', post('/topic/t1/event/', EVENT), false],
  ['createEvent', post('/topic/a%20b/event', EVENT), false],
  ['createEvent', post('/topic/t1/event', undefined), true],
  ['createEvent', post('/topic/t1/event', undefined, undefined), true],
  ['createEvent', post('/topic/t1/event', 'text'), true],
  ['createEvent', post('/topic/t1/event', 42), true],
  ['createEvent', post('/topic/t1/event', null), true],
  ['createEvent', post('/topic/t1/event', [EVENT]), true],
  ['createEvent', post('/topic/t1/event', { ...EVENT, priority: 3 }), true],
  ['createEvent', post('/topic/t1/event', EVENT, 'application/json; charset=utf-8'), false],
  ['createEvent', post('/topic/t1/event', EVENT, 'application/json', { limit: '5' }), true],
  ['createTopic', post('/topic', { name: 'orders' }), false],
  ['createTopic', post('/topic', { name: 5 }), true],
  ['createTopic', post('/topic', { name: 'orders', unknown: true }), false],
  ['listTopic', get('/topic', { limit: '10', offset: '0' }), false],
  ['listTopic', get('/topic', { limit: '-1' }), true],
  ['listTopic', get('/topic', { limit: 'ten' }), true],
  ['listTopic', get('/topic', { limit: ['1', '2'] }), true],
  ['listTopic', get('/topic', { fields: 'name', name: 'a', 'name.regex': '^o' }), false],
  ['listTopic', get('/topic', { name: ['a', 'b'] }), false],
  ['listTopic', get('/topic', Object.fromEntries([['__proto__', 'x']])), false],
  ['retrieveTopic', get('/topic/t1'), false],
  ['importSchema', post('/schema/import', 'openapi: 3.0.0', 'application/yaml'), false],
  ['importSchema', post('/schema/import', undefined, 'application/yaml'), false],
  ['importSchema', post('/schema/import', 7), true],
];

describe('requestValidation', () => {
  let api: OpenAPIBackend;
  beforeAll(async () => {
    api = await sharedApi(1000);
  });

  it.each(CASES)('%s %j: the errors of validateRequest (refused: %s)', (operationId, request, refused) => {
    const { method, path, query, body, contentType } = request;
    const slow = api.validateRequest(
      { method, path, query: structuredClone(query), body: typeof body === 'string' ? JSON.stringify(body) : body, headers: contentType ? { 'content-type': contentType } : {} },
      operationId,
    ).errors;
    const fast = requestValidation(api, operationId)(request);
    expect(fast).toEqual(slow ?? null);
    expect(fast !== null).toBe(refused);
  });

  it('leaves the query it was given as it was (the validators coerce their own copy)', () => {
    const query = { limit: '10' };
    requestValidation(api, 'listTopic')(get('/topic', query));
    expect(query).toEqual({ limit: '10' });
  });

  it('throws for an operation the contract does not have, as validateRequest does', () => {
    expect(() => requestValidation(api, 'noSuchOperation')(get('/x'))).toThrow('Unknown operation');
  });
});

describe('pathTemplateParams', () => {
  it.each([
    ['/topic/{topicId}/event', '/topic/t1/event', { topicId: 't1' }],
    ['/topic/{topicId}/event', '/topic/a%2Fb/event', { topicId: 'a/b' }],
    ['/topic/{topicId}/event', '/topic//event', { topicId: '' }],
    ['/topic/{topicId}/event', '/topic/t1/event/x', null],
    ['/topic/{topicId}/hub/{id}', '/topic/t1/hub/h1', { topicId: 't1', id: 'h1' }],
    ['/a/{x}/b/{x}', '/a/1/b/1', { x: '1' }],
    ['/a/{x}/b/{x}', '/a/1/b/2', null],
    ['/topic', '/topic', {}],
  ])('%s reads %s as %j', (template, path, params) => {
    expect(pathTemplateParams(template)(path)).toEqual(params);
  });
});
