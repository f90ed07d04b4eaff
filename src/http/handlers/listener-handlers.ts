import { links, withHref } from '../../hub/links';
import { originOf, type OperationHandler } from '../api-request';
import { createdResult, fieldsFrom } from '../tmf630';
import { receiveInto } from './inbox-handlers';

/**
 * POST /hub, GET and DELETE /hub/{id}: registrations for the API's own Topic notifications; and the
 * client-side /listener/* endpoints, which record what they receive (mock mode).
 */
export const listenerHandlers: Record<string, OperationHandler> = {
  async registerListener(req, { services }) {
    const listener = await services.listeners.register(req.body as Record<string, unknown>, originOf(req), req.principal);
    return createdResult(listener, links.listener(req.baseUrl, listener.id));
  },
  async retrieveListener(req, { services }) {
    const listener = await services.listeners.get(req.params.id, fieldsFrom(req), req.principal);
    return { status: 200, body: withHref(listener, links.listener(req.baseUrl, listener.id)) };
  },
  async rotateListenerSecret(req, { services }) {
    const listener = await services.listeners.rotateSecret(req.params.hubId, (req.body as { secret: string }).secret, req.principal);
    return { status: 200, body: withHref(listener, links.listener(req.baseUrl, listener.id)) };
  },
  async replaceListenerCredentials(req, { services }) {
    const listener = await services.listeners.replaceCredentials(req.params.hubId, req.body as Record<string, unknown>, req.principal);
    return { status: 200, body: withHref(listener, links.listener(req.baseUrl, listener.id)) };
  },
  async unregisterListener(req, { services }) {
    await services.listeners.unregister(req.params.id, req.principal);
    return { status: 204 };
  },
  listenToTopicCreateEvent: receiveInto('topicCreateEvent'),
  listenToTopicChangeEvent: receiveInto('topicChangeEvent'),
  listenToTopicDeleteEvent: receiveInto('topicDeleteEvent'),
};
