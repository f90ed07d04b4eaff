import type { OperationHandler } from '../api-request';
import { fieldsFrom, listQueryFrom, pageResult } from '../tmf630';

/** tmf688-hub extension: the latest state of each resource of a topic (docs/sources.md). States are shown as the source returned them: no href of the hub's. */
export const stateHandlers: Record<string, OperationHandler> = {
  async listTopicState(req, { services, limits }) {
    const page = await services.states.list(req.params.topicId, listQueryFrom(req, limits), req.principal);
    return pageResult(page.items, page.total);
  },
  async retrieveTopicState(req, { services }) {
    const { topicId, resourceId } = req.params;
    return { status: 200, body: await services.states.get(topicId, resourceId, fieldsFrom(req), req.principal) };
  },
};
