import type { StreamRequest } from '../hub/event-stream-service';
import { headerOf, type ApiRequest } from './api-request';

/**
 * What a live stream asks for, over SSE or WebSocket alike: the topic, `query`, and where to resume
 * (the Last-Event-ID header wins over `lastEventId`, as the contract says). The contract has already
 * refused a repeated parameter.
 */
export function streamRequestOf(req: ApiRequest): StreamRequest {
  return {
    topicId: req.params.topicId,
    query: req.queryPairs.find(([key]) => key === 'query')?.[1],
    // The SSE specification resets the last event id to the empty string: an empty header is none.
    lastEventId: headerOf(req, 'last-event-id')?.trim() || req.queryPairs.find(([key]) => key === 'lastEventId')?.[1],
    baseUrl: req.baseUrl,
    actor: req.principal,
    mode: req.queryPairs.find(([key]) => key === 'mode')?.[1] as StreamRequest['mode'],
  };
}
