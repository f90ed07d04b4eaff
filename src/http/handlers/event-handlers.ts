import type { ApiRequest, OperationHandler } from '../api-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult, withHref } from '../tmf630';
import type { HandlerDeps } from './handler-deps';
import { topicHref } from './topic-handlers';

const eventHref = (req: ApiRequest, topicId: string, id: string) => `${topicHref(req, topicId)}/event/${encodeURIComponent(id)}`;

export function eventHandlers({ services, limits }: HandlerDeps): Record<string, OperationHandler> {
  return {
    async listEvent(req) {
      const { topicId } = req.params;
      const page = await services.events.list(topicId, listQueryFrom(req, limits));
      return listResult(page, (e) => eventHref(req, topicId, e.id));
    },
    async createEvent(req) {
      const { topicId } = req.params;
      const event = await services.events.publish(topicId, req.body as Record<string, unknown>);
      return createdResult(event, eventHref(req, topicId, event.id));
    },
    async retrieveEvent(req) {
      const { topicId, id } = req.params;
      const event = await services.events.get(topicId, id, fieldsFrom(req));
      return { status: 200, body: withHref(event, eventHref(req, topicId, event.id)) };
    },
  };
}
