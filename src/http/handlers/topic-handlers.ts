import type { ApiRequest, OperationHandler } from '../api-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult, withHref } from '../tmf630';
import type { HandlerDeps } from './handler-deps';

export const topicHref = (req: ApiRequest, id: string) => `${req.baseUrl}/topic/${encodeURIComponent(id)}`;

export function topicHandlers({ services, limits }: HandlerDeps): Record<string, OperationHandler> {
  return {
    async listTopic(req) {
      const page = await services.topics.list(listQueryFrom(req, limits));
      return listResult(page, (t) => topicHref(req, t.id));
    },
    async createTopic(req) {
      const topic = await services.topics.create(req.body as Record<string, unknown>);
      return createdResult(topic, topicHref(req, topic.id));
    },
    async retrieveTopic(req) {
      const topic = await services.topics.get(req.params.id, fieldsFrom(req));
      return { status: 200, body: withHref(topic, topicHref(req, topic.id)) };
    },
    async deleteTopic(req) {
      await services.topics.delete(req.params.id);
      return { status: 204 };
    },
  };
}
