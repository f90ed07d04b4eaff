import { links, withHref } from '../../hub/links';
import type { ReplayRequest } from '../../hub/replay-service';
import { originOf, type OperationHandler } from '../api-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult } from '../tmf630';

/** Hubs of a topic (/topic/{topicId}/hub). The API-level registrations of POST /hub are in listener-handlers. */
export const hubHandlers: Record<string, OperationHandler> = {
  async listHub(req, { services, limits }) {
    const { topicId } = req.params;
    const page = await services.hubs.list(topicId, listQueryFrom(req, limits), req.principal);
    return listResult(page, (h) => links.hub(req.baseUrl, topicId, h.id));
  },
  async createHub(req, { services }) {
    const { topicId } = req.params;
    const hub = await services.hubs.create(topicId, req.body as Record<string, unknown>, originOf(req), req.principal);
    return createdResult(hub, links.hub(req.baseUrl, topicId, hub.id));
  },
  async retrieveHub(req, { services }) {
    const { topicId, id } = req.params;
    const hub = await services.hubs.get(topicId, id, fieldsFrom(req), req.principal);
    return { status: 200, body: withHref(hub, links.hub(req.baseUrl, topicId, hub.id)) };
  },
  async rotateTopicHubSecret(req, { services }) {
    const { topicId, hubId } = req.params;
    const hub = await services.hubs.rotateSecret(topicId, hubId, (req.body as { secret: string }).secret, req.principal);
    return { status: 200, body: withHref(hub, links.hub(req.baseUrl, topicId, hub.id)) };
  },
  async replaceTopicHubCredentials(req, { services }) {
    const { topicId, hubId } = req.params;
    const hub = await services.hubs.replaceCredentials(topicId, hubId, req.body as Record<string, unknown>, req.principal);
    return { status: 200, body: withHref(hub, links.hub(req.baseUrl, topicId, hub.id)) };
  },
  async replayTopicHub(req, { services }) {
    const { topicId, hubId } = req.params;
    const result = await services.replays.replay(topicId, hubId, req.body as ReplayRequest, req.baseUrl, req.principal);
    return { status: 202, body: result };
  },
  async deleteHub(req, { services }) {
    await services.hubs.delete(req.params.topicId, req.params.id, req.principal);
    return { status: 204 };
  },
};
