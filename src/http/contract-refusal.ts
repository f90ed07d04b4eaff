import type OpenAPIBackend from 'openapi-backend';
import type { Operation } from 'openapi-backend';
import { requestValidation, type ContractRequest } from './request-validation';
import { validationMessage } from './validation-message';

export type { ContractRequest } from './request-validation';

/**
 * Why the contract (openapi-backend's compiled validators) refuses a request to `operation`, as one
 * sentence naming each offending field; undefined when it passes. The one validation every way in
 * goes through: the HTTP API, the WebSocket upgrade and events read from a topic source.
 */
export function contractRefusal(api: OpenAPIBackend, operation: Operation | string, request: ContractRequest): string | undefined {
  const errors = requestValidation(api, typeof operation === 'string' ? operation : operation.operationId ?? '')(request);
  return errors ? validationMessage(errors) : undefined;
}
