import { createLogger } from '../../src/logger';
import { MAX_BACKOFF_MS, pollDelay } from '../../src/hub/poll-delay';
import { warningSummary } from '../../src/hub/warning-summary';
import { POLL_LEASE_MS, PollSources } from '../../src/hub/poll-sources';
import { PollFailure, type PollOutcome } from '../../src/hub/topic-poller';
import { TOP_LEVEL, type Stores } from '../../src/store/store-types';
import { memoryStores } from '../helpers/test-stores';

describe('pollDelay', () => {
  it.each<[string, number, number, number]>([
    ['no failure: the interval', 10_000, 0, 10_000],
    ['one failure: twice the interval', 10_000, 1, 20_000],
    ['three failures: eight times', 10_000, 3, 80_000],
    ['many failures: capped at MAX_BACKOFF_MS', 10_000, 40, MAX_BACKOFF_MS],
    ['an interval above the cap: the interval, never less', 3_600_000, 5, 3_600_000],
  ])('should wait %s', (_case, interval, failures, delay) => {
    expect(pollDelay(interval, failures)).toBe(delay);
  });
});

describe('warningSummary', () => {
  it.each<[string, string[], string | undefined]>([
    ['none: no lastError', [], undefined],
    ['one', ['a'], 'a'],
    ['five, all shown', ['a', 'b', 'c', 'd', 'e'], 'a; b; c; d; e'],
    ['more than five: the first five and a count', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'a; b; c; d; e; and 2 more'],
  ])('should show %s', (_case, warnings, shown) => {
    expect(warningSummary(warnings)).toBe(shown);
  });
});

const OK: PollOutcome = { changes: 0, published: 0, duplicates: 0, warnings: [], baseline: false };

describe('PollSources', () => {
  let stores: Stores;
  let now: number;
  let polled: string[];
  let fail: boolean;

  const sources = (owner = 'p1', concurrency = 4) =>
    new PollSources({
      poller: {
        poll: async (topicId) => {
          polled.push(topicId);
          if (fail) throw new PollFailure('the API answered 500');
          return OK;
        },
      },
      stores,
      logger: createLogger('silent'),
      owner,
      concurrency,
      now: () => now,
    });

  async function topic(id: string, interval = '10s'): Promise<void> {
    await stores.topics.insert(TOP_LEVEL, { id, name: id, source: { poll: `http://api/${id}`, interval, emitInitial: false } });
    await stores.polls.create(id);
  }

  /** A tick, then the polls it started. */
  async function tick(poller: PollSources): Promise<void> {
    await poller.tick();
    await new Promise((resolve) => setImmediate(resolve));
  }

  beforeEach(() => {
    stores = memoryStores();
    now = 1_000_000;
    polled = [];
    fail = false;
  });

  it('should poll each topic when due: at once, then every interval', async () => {
    await topic('a', '10s');
    await topic('b', '30s');
    const poller = sources();
    await tick(poller);
    expect(polled).toEqual(['a', 'b']);
    now += 10_000;
    await tick(poller);
    expect(polled).toEqual(['a', 'b', 'a']);
    now += 20_000;
    await tick(poller);
    expect(polled).toEqual(['a', 'b', 'a', 'a', 'b']);
  });

  it('should back off after failures and poll at the interval again after a success', async () => {
    await topic('a', '10s');
    const poller = sources();
    fail = true;
    await tick(poller);
    now += 10_000;
    await tick(poller);
    expect(polled).toHaveLength(1);
    now += 10_000;
    await tick(poller);
    expect(polled).toHaveLength(2);
    fail = false;
    now += 40_000;
    await tick(poller);
    expect(polled).toHaveLength(3);
    now += 10_000;
    await tick(poller);
    expect(polled).toHaveLength(4);
    expect(poller.stats).toMatchObject({ polls: 4, failures: 2 });
  });

  it('should record a failure on the topic and clear it after a clean poll', async () => {
    await topic('a');
    const poller = sources();
    fail = true;
    expect(await (await refreshed(poller)).pollNow('a')).toEqual({ failed: 'the API answered 500' });
    expect((await stores.topics.get(TOP_LEVEL, 'a'))?.source).toEqual({
      poll: 'http://api/a', interval: '10s', emitInitial: false, lastPollAt: new Date(now).toISOString(), lastError: 'the API answered 500',
    });
    fail = false;
    await poller.pollNow('a');
    expect((await stores.topics.get(TOP_LEVEL, 'a'))?.source).not.toHaveProperty('lastError');
  });

  it('should leave a topic another process holds, and take it over once that lease ran out', async () => {
    await topic('a', '1m');
    const first = await refreshed(sources('p1'));
    const second = await refreshed(sources('p2'));
    expect(await first.pollNow('a')).toEqual({ polled: OK });
    expect(await second.pollNow('a')).toBe('held');
    now += POLL_LEASE_MS; // p1 died: it renewed nothing
    await tick(second);
    expect(polled).toEqual(['a', 'a']);
    expect(await first.pollNow('a')).toBe('held');
  });

  it('should renew the leases it holds while it lives', async () => {
    await topic('a', '1h');
    const first = await refreshed(sources('p1'));
    const second = await refreshed(sources('p2'));
    await first.pollNow('a');
    for (let i = 0; i < 10; i += 1) {
      now += POLL_LEASE_MS / 2;
      await tick(first);
    }
    expect(await second.pollNow('a')).toBe('held');
  });

  it('should poll at most HUB_POLL_CONCURRENCY topics at once', async () => {
    for (const id of ['a', 'b', 'c']) await topic(id);
    const poller = sources('p1', 2);
    await tick(poller);
    expect(polled).toEqual(['a', 'b']);
    await tick(poller);
    expect(polled).toEqual(['a', 'b', 'c']);
  });

  it('should forget a deleted topic and give its leases up when it stops', async () => {
    await topic('a');
    await topic('b');
    const poller = sources();
    await tick(poller);
    await stores.topics.delete(TOP_LEVEL, 'b');
    poller.changed();
    await tick(poller);
    expect(poller.topics).toBe(1);
    expect(await poller.pollNow('b')).toEqual({ failed: 'topic b has no poll source this process knows' });
    await poller.stop();
    expect(await stores.polls.get('a')).not.toHaveProperty('leaseOwner');
  });

  async function refreshed(poller: PollSources): Promise<PollSources> {
    await poller.refresh();
    return poller;
  }
});
