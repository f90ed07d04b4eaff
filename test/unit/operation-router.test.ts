import type { Operation } from 'openapi-backend';
import { OperationRouter, type RouteMatch } from '../../src/http/operation-router';
import { createOpenApiBackend } from '../../src/http/create-openapi-backend';

const op = (method: string, path: string, operationId: string) => ({ method, path, operationId }) as Operation;

const ROUTER = new OperationRouter([
  op('get', '/topic', 'listTopic'),
  op('post', '/topic', 'createTopic'),
  op('get', '/topic/{id}', 'retrieveTopic'),
  op('delete', '/topic/{id}', 'deleteTopic'),
  op('get', '/topic/{topicId}/event/{id}', 'retrieveEvent'),
  op('get', '/topic/{topicId}/event/stream', 'streamEvent'),
  op('post', '/inbox/{name}/listener/{eventType}', 'receive'),
]);

const summary = (m: RouteMatch) =>
  m.kind === 'operation' ? { id: m.operation.operationId, params: m.params } : m.kind === 'methodNotAllowed' ? { allowed: m.allowed.sort() } : 'notFound';

describe('OperationRouter', () => {
  it.each<[string, string, ReturnType<typeof summary>]>([
    ['GET', '/topic', { id: 'listTopic', params: {} }],
    ['post', '/topic', { id: 'createTopic', params: {} }],
    ['GET', '/topic/', { id: 'listTopic', params: {} }],
    ['GET', '/topic/t-1', { id: 'retrieveTopic', params: { id: 't-1' } }],
    ['DELETE', '/topic/a%20b', { id: 'deleteTopic', params: { id: 'a b' } }],
    ['GET', '/topic/t1/event/stream', { id: 'streamEvent', params: { topicId: 't1' } }],
    ['GET', '/topic/t1/event/e9', { id: 'retrieveEvent', params: { topicId: 't1', id: 'e9' } }],
    ['GET', '/topic/t1/event/e9/', { id: 'retrieveEvent', params: { topicId: 't1', id: 'e9' } }],
    ['POST', '/inbox/mine/listener/productOrderCreateEvent', { id: 'receive', params: { name: 'mine', eventType: 'productOrderCreateEvent' } }],
    ['PUT', '/topic/t-1', { allowed: ['DELETE', 'GET'] }],
    ['PATCH', '/topic', { allowed: ['GET', 'POST'] }],
    ['POST', '/topic/t1/event/stream', { allowed: ['GET'] }],
    ['GET', '/nothing', 'notFound'],
    ['GET', '/topic/a/b', 'notFound'],
    ['GET', '/topic//event/x', 'notFound'],
    ['GET', '/topicx', 'notFound'],
    ['GET', '/', 'notFound'],
    ['GET', '//topic', 'notFound'],
    ['GET', '/topic//', 'notFound'],
  ])('should route %s %s', (method, path, expected) => {
    expect(summary(ROUTER.match(method, path))).toEqual(expected);
  });

  it('should route every operation of the bundled contract to itself', async () => {
    const api = await createOpenApiBackend({ listMaxLimit: 1000 });
    const router = new OperationRouter(api.getOperations());
    for (const operation of api.getOperations()) {
      const path = operation.path.replace(/\{([^}]+)\}/g, 'x-$1');
      const match = router.match(operation.method, path);
      expect(match.kind === 'operation' && match.operation.operationId).toBe(operation.operationId);
    }
  });
});
