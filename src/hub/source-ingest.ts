import { ConflictError, TmfError } from '../errors';
import { TOP_LEVEL, type Stores } from '../store/store-types';
import type { EventService } from './event-service';
import type { SourceFormat } from './event-source';

/** What publishing one record from a topic source came to. Transient failures (the store is down) are thrown instead. */
export type IngestOutcome = 'stored' | 'duplicate' | { refused: string };

/** A topic that reads from a broker: what the broker's bridge consumes for it. */
export interface SourceBinding {
  topicId: string;
  /** The destination read: a Kafka topic, ... */
  name: string;
  format: SourceFormat;
}

export interface SourceIngestDeps {
  events: Pick<EventService, 'publish'>;
  topics: Pick<Stores, 'topics'>['topics'];
  /** Why the body would be refused by POST /topic/{topicId}/event's contract validation, or undefined. */
  contractRefusal(topicId: string, body: Record<string, unknown>): string | undefined;
  /** The API base of the hrefs of events that arrive from a source (no request to take it from). */
  baseUrl: string;
}

/** Sources are configuration, not data: this many topics with a source per broker at most. */
const MAX_BINDINGS = 1000;

/**
 * The one way events that do not arrive over HTTP enter the hub (a broker's topic source today, a
 * poller next): held to the same contract as `POST /topic/{id}/event` and published through the same
 * service call, so they get everything a published event gets (schemas, fan-out, ordering, streams).
 */
export class SourceIngest {
  constructor(private readonly deps: SourceIngestDeps) {}

  /** Publishes one event read from a source: stored, a duplicate of a stored one (its eventId), or refused with the reason. */
  async ingest(topicId: string, event: Record<string, unknown>): Promise<IngestOutcome> {
    const refused = this.deps.contractRefusal(topicId, event);
    if (refused) return { refused };
    try {
      await this.deps.events.publish(topicId, event, this.deps.baseUrl);
      return 'stored';
    } catch (err) {
      if (err instanceof ConflictError) return 'duplicate';
      // A 4xx says the event can never be published (a schema violation, a topic deleted since);
      // a 5xx (the store away, backpressure) is transient: thrown, so the source reads it again.
      if (err instanceof TmfError && err.status < 500) return { refused: err.message };
      throw err;
    }
  }

  /** The topics that read from this broker now. */
  async bindings(broker: string): Promise<SourceBinding[]> {
    const filter = [{ path: ['source', broker], op: 'regex' as const, values: ['.'], regex: /./ }];
    const { items } = await this.deps.topics.list(TOP_LEVEL, { filter, offset: 0, limit: MAX_BINDINGS });
    return items.map((topic) => {
      const source = topic.source as Record<string, string>;
      return { topicId: topic.id, name: source[broker], format: source.format as SourceFormat };
    });
  }
}
