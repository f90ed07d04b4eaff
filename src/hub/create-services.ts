import type { Stores } from '../store/store-types';
import { EventService } from './event-service';
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
}

export function createServices(stores: Stores): Services {
  const topics = new TopicService(stores);
  return {
    topics,
    events: new EventService(stores, topics),
    hubs: new HubService(stores, topics),
    listeners: new ListenerService(stores),
    inbox: new InboxService(stores),
  };
}
