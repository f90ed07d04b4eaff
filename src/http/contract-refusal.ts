import type OpenAPIBackend from 'openapi-backend';
import type { Operation } from 'openapi-backend';
import { validationMessage } from './validation-message';

/** A request as the contract sees it: the path is relative to the API root, the query grouped by name. */
export interface ContractRequest {
  method: string;
  path: string;
  query: Readonly<Record<string, string | string[]>>;
  body: unknown;
  contentType: string | undefined;
}

/**
 * Why the contract (openapi-backend's compiled validators) refuses a request to `operation`, as one
 * sentence naming each offending field; undefined when it passes. The one validation every way in
 * goes through: the HTTP API, the WebSocket upgrade and events read from a topic source.
 */
export function contractRefusal(api: OpenAPIBackend, operation: Operation | string, request: ContractRequest): string | undefined {
  const { method, path, query, body, contentType } = request;
  const validation = api.validateRequest(
    // The contract declares no security schemes; its one header parameter (Last-Event-ID) is free text.
    // openapi-backend JSON.parses a body that is not an object once more, only to check it is JSON:
    // a JSON string body ("text") goes in as its JSON text so that check passes.
    { method, path, query, body: typeof body === 'string' ? JSON.stringify(body) : body, headers: contentType ? { 'content-type': contentType } : {} },
    operation,
  );
  return validation.errors ? validationMessage(validation.errors) : undefined;
}
