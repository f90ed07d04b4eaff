import { CallbackGuard } from '../delivery/callback-guard';
import type { Stores } from '../store/store-types';
import type { CallbackValidator } from './callback-validator';
import { DeliveryService } from './delivery-service';
import { NO_NOTIFIER, type DeliveryNotifier } from './delivery-notifier';
import { EventFeed } from './event-feed';
import { EventService } from './event-service';
import { EventStreamService } from './event-stream-service';
import { FanOut } from './fan-out';
import { HubService } from './hub-service';
import { InboxService } from './inbox-service';
import { ListenerService } from './listener-service';
import { TopicService } from './topic-service';

export interface Services {
  topics: TopicService;
  events: EventService;
  hubs: HubService;
  listeners: ListenerService;
  inbox: InboxService;
  deliveries: DeliveryService;
  streams: EventStreamService;
  /** News of every event this process stores (live streams, metrics). */
  feed: EventFeed;
}

export interface ServiceOptions {
  listenerSuffix?: boolean;
  /** Woken when deliveries become due; the delivery worker, when this process runs one. */
  notifier?: DeliveryNotifier;
  /** Checks callbacks at hub creation; by default the guard's own default policy (private networks allowed). */
  callbacks?: CallbackValidator;
  /** Live streams: how often an idle one reads the store (HUB_STREAM_POLL, default 1 s) and sends a heartbeat (HUB_STREAM_HEARTBEAT, default 15 s). */
  stream?: { pollMs: number; heartbeatMs: number };
  /** Entries kept per mock inbox (HUB_INBOX_LIMIT, default 1000); the oldest go first. */
  inboxLimit?: number;
}

export function createServices(stores: Stores, options: ServiceOptions = {}): Services {
  const notifier = options.notifier ?? NO_NOTIFIER;
  const fanOut = new FanOut({ listenerSuffix: options.listenerSuffix ?? false });
  const topics = new TopicService(stores, fanOut, notifier);
  const callbacks = options.callbacks ?? new CallbackGuard({ policy: 'private-allowed', allow: [] });
  const hubs = new HubService(stores, topics, callbacks);
  const listeners = new ListenerService(stores, callbacks);
  const feed = new EventFeed();
  return {
    topics,
    events: new EventService(stores, topics, fanOut, notifier, feed),
    hubs,
    listeners,
    inbox: new InboxService(stores, options.inboxLimit ?? 1000),
    deliveries: new DeliveryService(stores, hubs, listeners, notifier),
    streams: new EventStreamService(stores, topics, feed, options.stream ?? { pollMs: 1000, heartbeatMs: 15_000 }),
    feed,
  };
}
