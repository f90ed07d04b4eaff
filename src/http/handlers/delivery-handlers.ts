import type { HubRef } from '../../hub/delivery-service';
import { links } from '../../hub/links';
import type { Delivery } from '../../store/delivery-types';
import { TOP_LEVEL } from '../../store/store-types';
import { BadRequestError } from '../../errors';
import type { ApiRequest, OperationHandler } from '../api-request';
import { listQueryFrom, pageResult } from '../tmf630';

const topicHub = (req: ApiRequest): HubRef => ({ kind: 'topic', topicId: req.params.topicId, hubId: req.params.hubId });
const listenerHub = (req: ApiRequest): HubRef => ({ kind: 'listener', topicId: TOP_LEVEL, hubId: req.params.hubId });

function hubHref(req: ApiRequest, hub: HubRef): string {
  return hub.kind === 'topic' ? links.hub(req.baseUrl, hub.topicId, hub.hubId) : links.listener(req.baseUrl, hub.hubId);
}

/** Attributes of the representation below that are computed, not stored: they cannot be filtered on. */
export const COMPUTED_DELIVERY_ATTRIBUTES = ['eventHref', 'attemptCount', 'nextAttemptAt'] as const;

/** A delivery as the API shows it: the outbox record without its payload and lease bookkeeping. */
function representation(req: ApiRequest, hub: HubRef, d: Delivery): Record<string, unknown> {
  const href = `${hubHref(req, hub)}/delivery/${encodeURIComponent(d.id)}`;
  return {
    id: d.id,
    href,
    '@type': 'Delivery',
    hubId: d.hubId,
    eventId: d.eventId,
    ...(d.eventType ? { eventType: d.eventType } : {}),
    ...(d.hubKind === 'topic' ? { eventHref: links.event(req.baseUrl, d.topicId, d.eventResourceId) } : {}),
    url: d.url,
    status: d.status,
    attemptCount: d.attempts.length,
    ...(d.status === 'pending' ? { nextAttemptAt: new Date(d.nextAttemptAt).toISOString() } : {}),
    createdAt: d.createdAt,
    ...(d.replay ? { replay: true } : {}),
    ...(d.orderingKey !== undefined ? { orderingKey: d.orderingKey } : {}),
    ...(d.sequence !== undefined ? { sequence: d.sequence } : {}),
    ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
    attempts: d.attempts,
  };
}

/** The stats window: 1 minute to 24 hours, written 15m or 1h (the contract checks the form). */
export function statsWindowMs(req: ApiRequest): number {
  const raw = req.queryPairs.find(([key]) => key === 'window')?.[1] ?? '1h';
  const match = /^(\d+)(m|h)$/.exec(raw);
  const ms = match ? Number(match[1]) * (match[2] === 'h' ? 3_600_000 : 60_000) : NaN;
  if (!(ms >= 60_000 && ms <= 86_400_000)) throw new BadRequestError(`window must be from 1m to 24h, such as 15m or 1h; got ${JSON.stringify(raw)}`, 'Invalid window');
  return ms;
}

function handlersFor(hubOf: (req: ApiRequest) => HubRef): Record<'list' | 'get' | 'redeliver' | 'stats', OperationHandler> {
  return {
    async stats(req, { services }) {
      const hub = hubOf(req);
      return { status: 200, body: { hubId: hub.hubId, ...(await services.deliveries.stats(hub, statsWindowMs(req), req.principal)) } };
    },
    async list(req, { services, limits }) {
      const hub = hubOf(req);
      const { filter, offset, limit } = listQueryFrom(req, limits);
      const page = await services.deliveries.list(hub, { filter, offset, limit }, req.principal);
      return pageResult(page.items.map((d) => representation(req, hub, d)), page.total);
    },
    async get(req, { services }) {
      const hub = hubOf(req);
      return { status: 200, body: representation(req, hub, await services.deliveries.get(hub, req.params.id, req.principal)) };
    },
    async redeliver(req, { services }) {
      const hub = hubOf(req);
      return { status: 202, body: representation(req, hub, await services.deliveries.redeliver(hub, req.params.id, req.principal)) };
    },
  };
}

const ofTopicHub = handlersFor(topicHub);
const ofListener = handlersFor(listenerHub);

/** tmf688-hub extension: a hub's delivery log and redelivery, for topic hubs and /hub registrations. */
export const deliveryHandlers: Record<string, OperationHandler> = {
  listTopicHubDelivery: ofTopicHub.list,
  retrieveTopicHubDelivery: ofTopicHub.get,
  redeliverTopicHubDelivery: ofTopicHub.redeliver,
  retrieveTopicHubStats: ofTopicHub.stats,
  listListenerDelivery: ofListener.list,
  retrieveListenerDelivery: ofListener.get,
  redeliverListenerDelivery: ofListener.redeliver,
  retrieveListenerStats: ofListener.stats,
};
