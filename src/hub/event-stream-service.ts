import type { Principal } from '../access/principal';
import type { Resource, Stores } from '../store/store-types';
import { BadRequestError, NotFoundError } from '../errors';
import type { EventFeed } from './event-feed';
import { links, withHref } from './links';
import { eventPatch, viewPatch, type PatchMessage, type SnapshotMessage } from './patch-stream';
import { compileQuery, notificationMatches } from '../query/hub-query';
import { projectFields } from '../query/project-fields';
import type { TopicService } from './topic-service';

export interface EventStreamOptions {
  /** How often an idle stream reads the store anyway: it sees events other processes published. */
  pollMs: number;
  /** How often an open stream sends a comment so that proxies keep it open. */
  heartbeatMs: number;
  /**
   * How long a tail waits for a sequence number it has not seen while it sees later ones: a publish
   * took the number and is still storing the event (or failed, and the number is never used).
   */
  gapGraceMs?: number;
}

/** Events read from the store per step of a tail. */
const PAGE_SIZE = 100;

/** One event of a tail: its id (the SSE id, kept even when fields= projects it out) and what is shown. */
export interface StreamedEvent {
  /** Absent on a snapshot message (mode=patch), which is no event: a client resuming then starts over. */
  id?: string;
  /** The message's kind in mode=patch (the SSE `event:` name, the WebSocket frame's `type`); absent on plain events. */
  kind?: 'snapshot' | 'patch';
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
  /** Who reads: a topic out of its scopes is a 403. None is the hub itself. */
  actor?: Principal;
  /** `patch`: a snapshot of the latest states, then one RFC 6902 patch per change (docs/streams.md); else the events. */
  mode?: 'events' | 'patch';
}

/**
 * Live tails of a topic's events. A tail is a cursor over the topic's sequence (the order the hub
 * accepted the events, the same in every process), so resuming and events from other processes come
 * for free; it is woken early by the in-process feed. Sequence numbers are taken before an event is
 * stored, so a later number can be visible before an earlier one: a tail that sees n + 2 but not
 * n + 1 waits up to gapGraceMs for it before moving on, so no tail skips an event still being stored.
 * Everything that can be refused (unknown topic, out of scope, bad query, unknown Last-Event-ID) is refused by
 * open(), before any event.
 */
export class EventStreamService {
  private readonly gapGraceMs: number;
  readonly heartbeatMs: number;

  constructor(
    private readonly stores: Pick<Stores, 'events' | 'states'>,
    private readonly topics: TopicService,
    private readonly feed: EventFeed,
    private readonly options: EventStreamOptions,
  ) {
    this.gapGraceMs = options.gapGraceMs ?? 2000;
    this.heartbeatMs = options.heartbeatMs;
  }

  async open(request: StreamRequest): Promise<(signal: AbortSignal) => AsyncGenerator<StreamedEvent>> {
    const { topicId, lastEventId, baseUrl } = request;
    await this.topics.assertExists(topicId, request.actor);
    if (request.mode === 'patch' && request.query !== undefined) throw new BadRequestError('query: a mode=patch stream sends every change of the latest states; leave query out');
    const query = compileQuery(request.query);
    let start: number;
    if (lastEventId !== undefined) {
      const resumed = await this.stores.events.sequenceOf(topicId, lastEventId);
      // An id that names no event is a 404, as everywhere in the API (the request itself is well formed).
      if (!resumed) throw new NotFoundError(`Last-Event-ID ${JSON.stringify(lastEventId)} is not an event of topic ${topicId}`);
      // An event stored before sequences were kept (MongoDB): everything with a sequence came after it.
      start = resumed.sequence ?? 0;
    } else {
      start = await this.stores.events.lastSequence(topicId);
    }
    if (request.mode === 'patch') return lastEventId === undefined ? this.snapshotThenPatches(topicId, start) : this.patches(topicId, start, eventPatch);
    return (signal) => this.tail(topicId, start, signal, (event) => {
      const notification = withHref(event, links.event(baseUrl, topicId, event.id));
      return notificationMatches(notification, query) ? { id: event.id, data: projectFields(notification, query.fields), notification } : undefined;
    });
  }

  /**
   * A fresh mode=patch stream: the latest states read after the tail's start, so that no change is
   * missed; the patches are diffs from what the client was sent, so a change the snapshot already
   * held sends nothing.
   */
  private async snapshotThenPatches(topicId: string, start: number): Promise<(signal: AbortSignal) => AsyncGenerator<StreamedEvent>> {
    const view = new Map<string, Resource>();
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const { items } = await this.stores.states.list(topicId, { filter: [], offset, limit: PAGE_SIZE });
      for (const state of items) view.set(state.id, state);
      if (items.length < PAGE_SIZE) break;
    }
    const snapshot: StreamedEvent[] = [...view.values()].map((state) => {
      const message: SnapshotMessage = { resourceId: state.id, state };
      return { kind: 'snapshot', data: message as unknown as Record<string, unknown>, notification: {} };
    });
    const patches = this.patches(topicId, start, (event) => viewPatch(view, event));
    return async function* (signal) {
      yield* snapshot;
      yield* patches(signal);
    };
  }

  private patches(topicId: string, start: number, patchOf: (event: Resource) => PatchMessage | undefined): (signal: AbortSignal) => AsyncGenerator<StreamedEvent> {
    return (signal) =>
      this.tail(topicId, start, signal, (event) => {
        const message = patchOf(event);
        return message && { id: event.id, kind: 'patch', data: message as unknown as Record<string, unknown>, notification: event };
      });
  }

  private async *tail(
    topicId: string,
    start: number,
    signal: AbortSignal,
    present: (event: Resource) => StreamedEvent | undefined,
  ): AsyncGenerator<StreamedEvent> {
    let cursor = start;
    /** When the tail first saw a later sequence than cursor + 1 (undefined: no gap waited on). */
    let gapSince: number | undefined;
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
        const events = await this.stores.events.listAfterSequence(topicId, cursor, PAGE_SIZE);
        // The topic may be deleted under a tail; then the tail ends.
        if (events.length === 0 && !(await this.topics.exists(topicId))) return;
        let waiting = false;
        for (const { resource, sequence } of events) {
          if (sequence > cursor + 1) {
            const now = Date.now();
            gapSince ??= now;
            if (now - gapSince < this.gapGraceMs) {
              waiting = true;
              break;
            }
          }
          gapSince = undefined;
          cursor = sequence;
          const shown = present(resource);
          if (shown) yield shown;
          if (signal.aborted) return;
        }
        if (!waiting && (events.length === PAGE_SIZE || woken)) continue;
        // Waiting on a gap: look again soon, within the grace, rather than at the next poll.
        const pause = waiting ? Math.min(this.options.pollMs, Math.max(10, this.gapGraceMs / 20)) : this.options.pollMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
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
