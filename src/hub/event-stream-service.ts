import type { Resource, Stores } from '../store/store-types';
import { NotFoundError } from '../errors';
import type { EventFeed } from './event-feed';
import { links, withHref } from './links';
import { compileQuery, notificationMatches } from '../query/hub-query';
import { projectFields } from '../query/project-fields';
import type { TopicService } from './topic-service';

export interface EventStreamOptions {
  /** How often an idle stream reads the store anyway: it sees events other processes published. */
  pollMs: number;
  /** How often an open stream sends a comment so that proxies keep it open. */
  heartbeatMs: number;
  /** Events read from the store per step. */
  pageSize?: number;
}

/** One event of a tail: its id (the SSE id, kept even when fields= projects it out) and what is shown. */
export interface StreamedEvent {
  id: string;
  data: Record<string, unknown>;
  /** The whole event before fields= projected it (what a CloudEvent's attributes are read from). */
  notification: Record<string, unknown>;
}

export interface StreamRequest {
  topicId: string;
  /** The hub query language, as in Hub.query. */
  query?: string;
  /** Resume after this event (the SSE Last-Event-ID, the WebSocket lastEventId). */
  lastEventId?: string;
  baseUrl: string;
}

/**
 * Live tails of a topic's events. A tail is a cursor over the stored events (so resuming and events
 * from other processes come for free), woken early by the in-process feed. Everything that can be
 * refused (unknown topic, bad query, unknown Last-Event-ID) is refused by open(), before any event.
 */
export class EventStreamService {
  private readonly pageSize: number;
  readonly heartbeatMs: number;

  constructor(
    private readonly stores: Pick<Stores, 'events'>,
    private readonly topics: TopicService,
    private readonly feed: EventFeed,
    private readonly options: EventStreamOptions,
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.heartbeatMs = options.heartbeatMs;
  }

  async open(request: StreamRequest): Promise<(signal: AbortSignal) => AsyncGenerator<StreamedEvent>> {
    const { topicId, lastEventId, baseUrl } = request;
    await this.topics.assertExists(topicId);
    const query = compileQuery(request.query);
    // An id that names no event is a 404, as everywhere in the API (the request itself is well formed).
    if (lastEventId !== undefined && !(await this.stores.events.get(topicId, lastEventId, ['id']))) {
      throw new NotFoundError(`Last-Event-ID ${JSON.stringify(lastEventId)} is not an event of topic ${topicId}`);
    }
    const start = lastEventId ?? (await this.stores.events.lastId(topicId));
    return (signal) => this.tail(topicId, start, signal, (event) => {
      const notification = withHref(event, links.event(baseUrl, topicId, event.id));
      return notificationMatches(notification, query) ? { id: event.id, data: projectFields(notification, query.fields), notification } : undefined;
    });
  }

  private async *tail(
    topicId: string,
    start: string | undefined,
    signal: AbortSignal,
    present: (event: Resource) => StreamedEvent | undefined,
  ): AsyncGenerator<StreamedEvent> {
    let cursor = start;
    let woken = false;
    let wake: (() => void) | undefined;
    const unsubscribe = this.feed.subscribe((publishedTopic) => {
      if (publishedTopic !== topicId) return;
      woken = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        woken = false;
        // The topic may be deleted under a tail; then its cursor is gone and the tail ends.
        const events = await this.stores.events.listAfter(topicId, cursor, this.pageSize);
        if (events === undefined) return;
        // Without a cursor (no event yet) deletion cannot show as a lost cursor: ask for the topic.
        if (cursor === undefined && events.length === 0 && !(await this.topics.exists(topicId))) return;
        for (const event of events) {
          cursor = event.id;
          const shown = present(event);
          if (shown) yield shown;
          if (signal.aborted) return;
        }
        if (events.length === this.pageSize || woken) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    }
  }
}
