import type { ListenerAuth } from '../credentials/listener-credentials';
import { nextPage, pageSize, pageUrl, readPollBody, totalCount } from '../poll/list-paging';
import { pollEvents } from '../poll/poll-events';
import { pollCredentialKey, type PollSource } from '../poll/poll-source';
import { diffResources, type PolledResource, type ResourceChange } from '../poll/resource-diff';
import type { Stores } from '../store/store-types';
import { putState } from './put-state';
import type { IngestOutcome } from './source-ingest';

/** A poll request's answer read whole, or why there was none (the guard refused, a timeout, a body too large). */
export type PollAnswer = { status: number; headers: Readonly<Record<string, string>>; body: string } | { error: string };

/** GETs one page of a poll source with its credentials (`key` keys an OAuth2 token cache): the delivery layer's guarded client, wired by the composition root. */
export type PollFetch = (key: string, auth: ListenerAuth | undefined, url: string) => Promise<PollAnswer>;

/** What one poll came to. */
export interface PollOutcome {
  /** Creates, changes and deletes found. */
  changes: number;
  published: number;
  /** Events an earlier run of the same poll had published already (refused by eventId). */
  duplicates: number;
  /** Why events were refused (schema validation, ...) or resources left out: the poll itself succeeded. */
  warnings: string[];
  /** This poll stored the baseline (the topic's first). */
  baseline: boolean;
}

/** Why a poll failed: nothing was stored and nothing more published; it is tried again after a backoff. */
export class PollFailure extends Error {}

export interface TopicPollerDeps {
  stores: Pick<Stores, 'states' | 'polls'>;
  ingest(topicId: string, event: Record<string, unknown>): Promise<IngestOutcome>;
  fetch: PollFetch;
  /** HUB_POLL_MAX_RESOURCES. */
  maxResources: number;
  now?: () => number;
}

/** States are read back in pages of this many. */
const STATE_PAGE = 1000;
/**
 * Events published (states stored) between two turns of the event loop: the embedded store answers
 * in microtasks, so a poll of many changes would otherwise hold the loop (API requests, streams) for
 * all of them.
 */
const PER_TURN = 50;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One poll of one topic's source (issue 28): read the list whole (every page) or the resource, diff
 * it against the latest known states, publish the events through the source ingest (in order, each
 * with an eventId a second run derives again), then store the states and the next generation. A
 * failure before the states are stored leaves them as they were: the next poll finds the same
 * changes, and what this one published comes back as duplicates. The first poll stores the
 * baseline and publishes nothing, unless the source says emitInitial.
 */
export class TopicPoller {
  private readonly now: () => number;

  constructor(private readonly deps: TopicPollerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Polls the topic; `owner` must hold its lease (the generation advances only while it does). Throws PollFailure. */
  async poll(topicId: string, source: PollSource, owner: string): Promise<PollOutcome> {
    const record = await this.deps.stores.polls.get(topicId);
    if (!record) throw new PollFailure('the topic has no poll record (it is being deleted)');
    const items = await this.read(topicId, source, record.auth as ListenerAuth | undefined);
    const { changes, unkeyed } = diffResources(await this.known(topicId), items, true);
    const now = this.now();
    const baseline = record.baselineAt === undefined;
    const outcome: PollOutcome = { changes: changes.length, published: 0, duplicates: 0, warnings: [], baseline };
    if (unkeyed.length) outcome.warnings.push(`${unkeyed.length} item(s) without a string id left out`);
    if (!baseline || source.emitInitial) {
      const { events, unnamed } = pollEvents(changes, { url: source.poll, resourceType: source.resourceType, generation: record.generation, now: new Date(now) });
      outcome.warnings.push(...unnamed);
      for (const [index, event] of events.entries()) {
        if (index % PER_TURN === PER_TURN - 1) await nextTurn();
        const result = await this.deps.ingest(topicId, event);
        if (result === 'stored') outcome.published += 1;
        else if (result === 'duplicate') outcome.duplicates += 1;
        else outcome.warnings.push(`${event.eventType} ${event.eventId} refused: ${result.refused}`);
      }
    }
    await this.store(topicId, changes, now);
    if (changes.length || baseline) await this.deps.stores.polls.advance(topicId, owner, record.generation + (changes.length ? 1 : 0), now);
    return outcome;
  }

  /** Every item of the source: each page of a list until it ends, or the one resource. */
  private async read(topicId: string, source: PollSource, auth: ListenerAuth | undefined): Promise<unknown[]> {
    const limit = pageSize(source.poll);
    const items: unknown[] = [];
    for (let offset = 0; ; ) {
      const url = pageUrl(source.poll, offset, limit);
      const answer = await this.deps.fetch(pollCredentialKey(topicId), auth, url);
      if ('error' in answer) throw new PollFailure(answer.error);
      if (answer.status < 200 || answer.status > 299) throw new PollFailure(`GET ${url} answered ${answer.status}`);
      const body = readPollBody(answer.body);
      if (typeof body === 'string') throw new PollFailure(`GET ${url}: ${body}`);
      if (!body.list) {
        if (offset > 0) throw new PollFailure(`GET ${url}: a page after the first is not a list`);
        return body.items;
      }
      items.push(...body.items);
      const next = nextPage({ offset, limit, received: body.items.length, total: totalCount(answer.headers['x-total-count']) }, this.deps.maxResources);
      if (next === 'done') return items;
      if (typeof next === 'object') throw new PollFailure(next.refused);
      offset = next;
    }
  }

  /** The topic's latest known states. */
  private async known(topicId: string): Promise<Map<string, PolledResource>> {
    const known = new Map<string, PolledResource>();
    for (let offset = 0; ; offset += STATE_PAGE) {
      const { items } = await this.deps.stores.states.list(topicId, { filter: [], offset, limit: STATE_PAGE });
      for (const state of items) known.set(state.id, state as PolledResource);
      await nextTurn();
      if (items.length < STATE_PAGE) return known;
    }
  }

  private async store(topicId: string, changes: readonly ResourceChange[], now: number): Promise<void> {
    const states = this.deps.stores.states;
    for (const [index, change] of changes.entries()) {
      if (index % PER_TURN === PER_TURN - 1) await nextTurn();
      if (change.kind === 'delete') await states.delete(topicId, change.id);
      else await putState(states, topicId, change.state, now, change.kind === 'change' ? change.previous : undefined);
    }
  }
}
