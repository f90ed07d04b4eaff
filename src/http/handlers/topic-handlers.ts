import type { ApiRequest, OperationHandler } from '../api-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult, withHref } from '../tmf630';

export const topicHref = (req: ApiRequest, id: string) => `${req.baseUrl}/topic/${encodeURIComponent(id)}`;

export const topicHandlers: Record<string, OperationHandler> = {
  async listTopic(req, { services, limits }) {
    const page = await services.topics.list(listQueryFrom(req, limits));
    return listResult(page, (t) => topicHref(req, t.id));
  },
  async createTopic(req, { services }) {
    const topic = await services.topics.create(req.body as Record<string, unknown>);
    return createdResult(topic, topicHref(req, topic.id));
  },
  async retrieveTopic(req, { services }) {
    const topic = await services.topics.get(req.params.id, fieldsFrom(req));
    return { status: 200, body: withHref(topic, topicHref(req, topic.id)) };
  },
  async deleteTopic(req, { services }) {
    await services.topics.delete(req.params.id);
    return { status: 204 };
  },
};
