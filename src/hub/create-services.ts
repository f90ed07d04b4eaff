import { CallbackGuard } from '../delivery/callback-guard';
import type { Stores } from '../store/store-types';
import type { CallbackValidator } from './callback-validator';
import { DeliveryService } from './delivery-service';
import { NO_NOTIFIER, type DeliveryNotifier } from './delivery-notifier';
import { EventService } from './event-service';
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
}

export interface ServiceOptions {
  listenerSuffix?: boolean;
  /** Woken when deliveries become due; the dispatcher, when this process runs one. */
  notifier?: DeliveryNotifier;
  /** Checks callbacks at hub creation; by default the guard's own default policy (private networks allowed). */
  callbacks?: CallbackValidator;
}

export function createServices(stores: Stores, options: ServiceOptions = {}): Services {
  const notifier = options.notifier ?? NO_NOTIFIER;
  const fanOut = new FanOut({ listenerSuffix: options.listenerSuffix ?? false });
  const topics = new TopicService(stores, fanOut, notifier);
  const callbacks = options.callbacks ?? new CallbackGuard({ policy: 'private-allowed', allow: [] });
  const hubs = new HubService(stores, topics, callbacks);
  const listeners = new ListenerService(stores, callbacks);
  return {
    topics,
    events: new EventService(stores, topics, fanOut, notifier),
    hubs,
    listeners,
    inbox: new InboxService(stores),
    deliveries: new DeliveryService(stores, hubs, listeners, notifier),
  };
}
