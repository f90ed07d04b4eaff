import { links, withHref } from '../../hub/links';
import type { OperationHandler } from '../api-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult } from '../tmf630';

export const topicHandlers: Record<string, OperationHandler> = {
  async listTopic(req, { services, limits }) {
    const page = await services.topics.list(listQueryFrom(req, limits), req.principal);
    return listResult(page, (t) => links.topic(req.baseUrl, t.id));
  },
  async createTopic(req, { services }) {
    const topic = await services.topics.create(req.body as Record<string, unknown>, req.baseUrl);
    return createdResult(topic, links.topic(req.baseUrl, topic.id));
  },
  async retrieveTopic(req, { services }) {
    const topic = await services.topics.get(req.params.id, fieldsFrom(req), req.principal);
    return { status: 200, body: withHref(topic, links.topic(req.baseUrl, topic.id)) };
  },
  async deleteTopic(req, { services }) {
    await services.topics.delete(req.params.id, req.baseUrl, req.principal);
    return { status: 204 };
  },
};
