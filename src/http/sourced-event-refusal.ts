import type OpenAPIBackend from 'openapi-backend';
import { contractRefusal } from './contract-refusal';

/**
 * Why POST /topic/{topicId}/event would refuse this body, or undefined: events that do not arrive
 * over HTTP (read from a Kafka topic source) are held to the same contract, by the same check.
 */
export function sourcedEventRefusal(api: OpenAPIBackend, topicId: string, body: Record<string, unknown>): string | undefined {
  return contractRefusal(api, 'createEvent', { method: 'POST', path: `/topic/${encodeURIComponent(topicId)}/event`, query: {}, body, contentType: 'application/json' });
}
