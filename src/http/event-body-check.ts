import type OpenAPIBackend from 'openapi-backend';
import { validationMessage } from './validation-message';

/**
 * Why a body would be refused by POST /topic/{topicId}/event's contract validation, or undefined:
 * events that do not arrive over HTTP (a Kafka topic source) are held to the same contract.
 */
export function eventBodyRefusal(api: OpenAPIBackend, topicId: string, body: Record<string, unknown>): string | undefined {
  const validation = api.validateRequest(
    { method: 'POST', path: `/topic/${encodeURIComponent(topicId)}/event`, body, headers: { 'content-type': 'application/json' }, query: {} },
    'createEvent',
  );
  return validation.errors ? validationMessage(validation.errors) : undefined;
}
