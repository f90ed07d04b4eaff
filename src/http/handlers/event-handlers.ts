import type { ApiRequest, OperationHandler } from '../api-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult, withHref } from '../tmf630';
import { topicHref } from './topic-handlers';

const eventHref = (req: ApiRequest, topicId: string, id: string) => `${topicHref(req, topicId)}/event/${encodeURIComponent(id)}`;

export const eventHandlers: Record<string, OperationHandler> = {
  async listEvent(req, { services, limits }) {
    const { topicId } = req.params;
    const page = await services.events.list(topicId, listQueryFrom(req, limits));
    return listResult(page, (e) => eventHref(req, topicId, e.id));
  },
  async createEvent(req, { services }) {
    const { topicId } = req.params;
    const event = await services.events.publish(topicId, req.body as Record<string, unknown>);
    return createdResult(event, eventHref(req, topicId, event.id));
  },
  async retrieveEvent(req, { services }) {
    const { topicId, id } = req.params;
    const event = await services.events.get(topicId, id, fieldsFrom(req));
    return { status: 200, body: withHref(event, eventHref(req, topicId, event.id)) };
  },
};
