import { headerOf, type ApiRequest, type OperationHandler } from '../api-request';
import { listQueryFrom, pageResult } from '../tmf630';

/** The headers worth keeping with a received notification: what a developer checks a delivery by. */
const KEPT_HEADERS = [
  'content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-attempt', 'webhook-signature', 'traceparent', 'tracestate',
  'ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-time', 'ce-subject',
];

const keptHeaders = (req: ApiRequest): Record<string, string> =>
  Object.fromEntries(KEPT_HEADERS.flatMap((name) => {
    const value = headerOf(req, name);
    return value === undefined ? [] : [[name, value]];
  }));

/** Records the body in a fixed inbox, or in the one the path names. */
export const receiveInto = (name?: string): OperationHandler => async (req, { services }) => {
  const entry = await services.inbox.record(name ?? req.params.name, req.body, keptHeaders(req));
  return { status: 201, body: entry };
};

export const listInbox = (name?: string): OperationHandler => async (req, { services, limits }) => {
  const page = await services.inbox.list(name ?? req.params.name, listQueryFrom(req, limits));
  return pageResult(page.items, page.total);
};

/** Mock mode: POST /inbox/{name} takes any notification; GET lists what arrived; DELETE empties it. */
export const inboxHandlers: Record<string, OperationHandler> = {
  receiveInboxEntry: receiveInto(),
  // With HUB_LISTENER_SUFFIX a hub posts to {callback}/listener/{eventType}: the inbox is still {name}.
  receiveInboxListenerEntry: receiveInto(),
  listInboxEntry: listInbox(),
  /**
   * The CloudEvents webhook validation handshake: an inbox consents to any origin, without a rate
   * limit, so hubs created with "validate": true can deliver to it (seeds, examples).
   */
  async handshakeInbox(req) {
    const origin = headerOf(req, 'webhook-request-origin');
    const headers: Record<string, string> = { Allow: 'GET, POST, DELETE, OPTIONS' };
    if (origin !== undefined) Object.assign(headers, { 'WebHook-Allowed-Origin': origin, 'WebHook-Allowed-Rate': '*' });
    return { status: 200, headers };
  },
  async clearInbox(req, { services }) {
    await services.inbox.clear(req.params.name);
    return { status: 204 };
  },
  listTopicCreateEventReceived: listInbox('topicCreateEvent'),
  listTopicChangeEventReceived: listInbox('topicChangeEvent'),
  listTopicDeleteEventReceived: listInbox('topicDeleteEvent'),
};
