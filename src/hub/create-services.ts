import type { Stores } from '../store/store-types';
import type { Tracer } from '../tracing/tracer';
import type { CallbackValidator } from './callback-validator';
import { DeliveryService } from './delivery-service';
import type { DeliveryNotifier } from './delivery-notifier';
import { EventFeed } from './event-feed';
import { EventService } from './event-service';
import { EventStreamService } from './event-stream-service';
import { FanOut } from './fan-out';
import { HubService } from './hub-service';
import { InboxService } from './inbox-service';
import { ListenerService } from './listener-service';
import { TopicService } from './topic-service';
import type { HandshakeProbe } from './webhook-handshake';

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

/** Everything the services are told; the composition root (src/create-hub.ts) fills it from Config. */
export interface ServiceOptions {
  /** Append /listener/{eventType} to callbacks (HUB_LISTENER_SUFFIX). */
  listenerSuffix: boolean;
  /** Woken when deliveries become due: the delivery worker, when this process runs one. */
  notifier: DeliveryNotifier;
  /** Checks callbacks at hub creation (the callback guard, under HUB_CALLBACK_POLICY). */
  callbacks: CallbackValidator;
  /** Live streams: how often an idle one reads the store, and sends a heartbeat. */
  stream: { pollMs: number; heartbeatMs: number };
  /** Entries kept per mock inbox; the oldest go first. */
  inboxLimit: number;
  /** Sends the CloudEvents validation request of hubs created with `"validate": true`, asking for `requestRate` per minute. */
  handshake?: { probe: HandshakeProbe; requestRate: number };
  /** Spans of each publish (ids only unless an exporter is configured). */
  tracer?: Tracer;
}

export function createServices(stores: Stores, options: ServiceOptions): Services {
  const { notifier, callbacks } = options;
  const fanOut = new FanOut({ listenerSuffix: options.listenerSuffix });
  const topics = new TopicService(stores, fanOut, notifier);
  const checks = { callbacks, handshake: options.handshake };
  const hubs = new HubService(stores, topics, checks);
  const listeners = new ListenerService(stores, checks);
  const feed = new EventFeed();
  return {
    topics,
    events: new EventService(stores, topics, fanOut, notifier, feed, options.tracer),
    hubs,
    listeners,
    inbox: new InboxService(stores, options.inboxLimit),
    deliveries: new DeliveryService(stores, hubs, listeners, notifier),
    streams: new EventStreamService(stores, topics, feed, options.stream),
    feed,
  };
}
