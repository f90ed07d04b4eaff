import { SourceReader, type IngestOutcome, type SourceBinding, type SourceFollower } from '../../src/bridge/source-reader';

const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** A follower that records what it is asked to follow, failing while `failing` is set. */
function fakeFollower() {
  const state = { follows: [] as string[][], closes: 0, failing: false };
  const follower: SourceFollower = {
    follow: async (bindings) => {
      if (state.failing) throw new Error('connection refused');
      state.follows.push(bindings.map((b) => `${b.topicId}:${b.name}`));
    },
    close: async () => void state.closes++,
  };
  return { follower, state };
}

function reader(bindings: SourceBinding[], outcome: (event: Record<string, unknown>) => Promise<IngestOutcome> = async () => 'stored') {
  const ingested: Array<[string, Record<string, unknown>]> = [];
  const { follower, state } = fakeFollower();
  const deps = { bindings: async () => bindings, ingest: async (topicId: string, event: Record<string, unknown>) => (ingested.push([topicId, event]), outcome(event)), logger: silent };
  return { reader: new SourceReader('test', deps, follower), state, ingested };
}

const record = (value: string) => ({ value, headers: { 'x-h': '1' }, attributes: {}, derivedEventId: 'test:alarms:7', where: 'alarms:7' });

describe('SourceReader', () => {
  it('should follow the bindings once, again only when they change, and close when none is left', async () => {
    const bindings: SourceBinding[] = [{ topicId: 't1', name: 'alarms', format: 'tmf' }];
    const { reader: r, state } = reader(bindings);
    await r.refresh();
    await r.refresh();
    expect(state.follows).toEqual([['t1:alarms']]);
    expect(r.stats.state).toBe('running');
    bindings.push({ topicId: 't2', name: 'faults', format: 'cloudevents' });
    await r.refresh();
    expect(state.follows).toEqual([['t1:alarms'], ['t1:alarms', 't2:faults']]);
    expect(r.reading('faults')).toEqual([{ topicId: 't2', name: 'faults', format: 'cloudevents' }]);
    bindings.splice(0);
    await r.refresh();
    expect(state.closes).toBe(1);
    expect(r.stats.state).toBe('idle');
  });

  it('should be crashed while the broker cannot be reached, and follow again at the next refresh', async () => {
    const { reader: r, state } = reader([{ topicId: 't1', name: 'alarms', format: 'tmf' }]);
    state.failing = true;
    await r.refresh();
    expect(r.stats.state).toBe('crashed');
    expect(state.closes).toBe(1);
    state.failing = false;
    await r.refresh();
    expect(r.stats.state).toBe('running');
    r.crashed('the connection closed');
    expect(r.stats.state).toBe('crashed');
    await r.refresh();
    expect(state.follows).toHaveLength(2);
  });

  it('should publish a record to every binding reading it, counting stored, duplicates and dead letters with the reason', async () => {
    const outcomes: IngestOutcome[] = ['stored', 'duplicate', { refused: 'eventType must be string' }];
    const { reader: r, ingested } = reader([], async () => outcomes.shift()!);
    const bindings: SourceBinding[] = [
      { topicId: 't1', name: 'alarms', format: 'tmf' },
      { topicId: 't2', name: 'alarms', format: 'tmf' },
      { topicId: 't3', name: 'alarms', format: 'tmf' },
    ];
    const dead: Record<string, string>[] = [];
    await r.read(bindings, record('{"eventType":"A"}'), async (headers) => void dead.push(headers));
    expect(ingested).toEqual([
      ['t1', { eventType: 'A', eventId: 'test:alarms:7' }],
      ['t2', { eventType: 'A', eventId: 'test:alarms:7' }],
      ['t3', { eventType: 'A', eventId: 'test:alarms:7' }],
    ]);
    expect(dead).toEqual([{ 'x-h': '1', 'tmf688-dlq-reason': 'eventType must be string', 'tmf688-dlq-source': 'alarms:7' }]);
    expect(r.stats).toMatchObject({ consumed: 1, stored: 1, duplicates: 1, deadLettered: 1 });
  });

  it('should dead-letter a record that is not an event without publishing it, and let a transient failure through', async () => {
    const { reader: r, ingested } = reader([], async () => Promise.reject(new Error('store away')));
    const dead: Record<string, string>[] = [];
    await r.read([{ topicId: 't1', name: 'alarms', format: 'tmf' }], record('{nope'), async (headers) => void dead.push(headers));
    expect(ingested).toEqual([]);
    expect(dead[0]['tmf688-dlq-reason']).toMatch(/not JSON/);
    await expect(r.read([{ topicId: 't1', name: 'alarms', format: 'tmf' }], record('{}'), async () => undefined)).rejects.toThrow('store away');
    expect(r.stats.deadLettered).toBe(1);
  });

  it('should add up the lag of a destination over its keys (partitions), never below zero', () => {
    const { reader: r } = reader([]);
    r.setLag('alarms', 3, 'alarms:0');
    r.setLag('alarms', 4, 'alarms:1');
    r.setLag('faults', -2);
    expect(r.lag()).toEqual({ alarms: 7, faults: 0 });
  });
});
