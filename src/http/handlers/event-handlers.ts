import { links, withHref } from '../../hub/links';
import { parseTraceparent } from '../../tracing/trace-context';
import { headerOf, type OperationHandler } from '../api-request';
import { sseResponse } from '../sse-response';
import { streamRequestOf } from '../stream-request';
import { createdResult, fieldsFrom, listQueryFrom, listResult } from '../tmf630';

export const SCHEMA_WARNING_HEADER = 'X-Schema-Warning';

export const eventHandlers: Record<string, OperationHandler> = {
  async listEvent(req, { services, limits }) {
    const { topicId } = req.params;
    const page = await services.events.list(topicId, listQueryFrom(req, limits), req.principal);
    return listResult(page, (e) => links.event(req.baseUrl, topicId, e.id));
  },
  async createEvent(req, { services }) {
    const { topicId } = req.params;
    const trace = parseTraceparent(headerOf(req, 'traceparent'), headerOf(req, 'tracestate'));
    const { event, schemaWarning } = await services.events.publishChecked(topicId, req.body as Record<string, unknown>, req.baseUrl, trace, req.principal);
    const result = createdResult(event, links.event(req.baseUrl, topicId, event.id));
    // The topic validates with `warn`: accepted, and the producer is told why the event does not conform.
    if (schemaWarning !== undefined) result.headers = { ...result.headers, [SCHEMA_WARNING_HEADER]: schemaWarning };
    return result;
  },
  async streamEvent(req, { services }) {
    const tail = await services.streams.open(streamRequestOf(req));
    return sseResponse(tail, services.streams.heartbeatMs);
  },
  async retrieveEvent(req, { services }) {
    const { topicId, id } = req.params;
    const event = await services.events.get(topicId, id, fieldsFrom(req), req.principal);
    return { status: 200, body: withHref(event, links.event(req.baseUrl, topicId, event.id)) };
  },
};
