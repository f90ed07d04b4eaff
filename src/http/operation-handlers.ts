import type { OperationHandler } from './api-request';
import { auditHandlers } from './handlers/audit-handlers';
import { COMPUTED_DELIVERY_ATTRIBUTES, deliveryHandlers } from './handlers/delivery-handlers';
import { eventHandlers } from './handlers/event-handlers';
import { hubHandlers } from './handlers/hub-handlers';
import { inboxHandlers } from './handlers/inbox-handlers';
import { listenerHandlers } from './handlers/listener-handlers';
import { odaComponentHandlers } from './handlers/oda-component-handlers';
import { COMPUTED_SCHEMA_ATTRIBUTES, schemaHandlers } from './handlers/schema-handlers';
import { stateHandlers } from './handlers/state-handlers';
import { topicHandlers } from './handlers/topic-handlers';

/** Every operation of the contract, by operationId: the dispatcher refuses to start if one is missing or unknown. */
export const OPERATION_HANDLERS: Readonly<Record<string, OperationHandler>> = {
  ...topicHandlers,
  ...eventHandlers,
  ...hubHandlers,
  ...listenerHandlers,
  ...deliveryHandlers,
  ...inboxHandlers,
  ...schemaHandlers,
  ...auditHandlers,
  ...stateHandlers,
  ...odaComponentHandlers,
};

/** Per list operation, the shown attributes its handler computes rather than reads from the store. */
export const COMPUTED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  listTopicHubDelivery: COMPUTED_DELIVERY_ATTRIBUTES,
  listListenerDelivery: COMPUTED_DELIVERY_ATTRIBUTES,
  ...COMPUTED_SCHEMA_ATTRIBUTES,
};
