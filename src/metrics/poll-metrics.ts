import { Counter, Gauge, type Registry } from 'prom-client';
import type { PollStats } from '../hub/poll-sources';

/** What /metrics reads of the poll sources at scrape time. */
export interface PolledSources {
  readonly stats: PollStats;
  readonly topics: number;
}

/**
 * The poll sources' counters (issue 28), read at scrape time from what this process polled:
 * tmf688_polls_total by outcome, tmf688_poll_events_total by result, tmf688_poll_sources.
 */
export function pollMetrics(polls: PolledSources, registers: Registry[]): void {
  new Counter({
    name: 'tmf688_polls_total',
    help: 'Polls of topic poll sources this process ran, by outcome: polled (read, diffed, published, stored) or failed (recorded on the topic, retried after a backoff)',
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      this.inc({ outcome: 'polled' }, polls.stats.polls - polls.stats.failures);
      this.inc({ outcome: 'failed' }, polls.stats.failures);
    },
  });
  new Counter({
    name: 'tmf688_poll_events_total',
    help: 'Events the poll sources of this process derived, by result: published, duplicate (published by an earlier run of the same poll), refused (left out, named in the topic\'s source.lastError)',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'published' }, polls.stats.published);
      this.inc({ result: 'duplicate' }, polls.stats.duplicates);
      this.inc({ result: 'refused' }, polls.stats.refused);
    },
  });
  new Gauge({
    name: 'tmf688_poll_sources',
    help: 'Topics with a poll source that this process knows (each is polled by the one process holding its lease)',
    registers,
    collect() {
      this.set(polls.topics);
    },
  });
}
