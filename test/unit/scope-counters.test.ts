import { MongoNetworkError, MongoServerError, type Collection } from 'mongodb';
import { IncrementCounter } from '../../src/store/mongo/increment-counter';
import { scopeCounters } from '../../src/store/mongo/scope-counters';
import { SequenceCounter, type SequenceDocument } from '../../src/store/mongo/sequence-counter';
import { StoreUnavailableError } from '../../src/store/store-errors';

type Answer = 'atomic' | 'stale' | Error;

/** The counters collection as the increment uses it, in memory: `answer` says how the server answers an $inc, `failures` fail the next calls first. */
class FakeCounters {
  readonly values = new Map<string, number>();
  readonly calls: string[] = [];
  failures: Error[] = [];

  constructor(private readonly answer: Answer = 'atomic') {}

  async findOneAndUpdate({ _id }: { _id: string }, update: { $inc: { value: number } }, options: { upsert: boolean; returnDocument: string }) {
    this.calls.push(`inc ${_id.startsWith('capability-probe:') ? 'probe' : _id} ${options.returnDocument}${options.upsert ? ' upsert' : ''}`);
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.answer instanceof Error) throw this.answer;
    const before = this.values.get(_id);
    this.values.set(_id, (before ?? 0) + update.$inc.value);
    // A server whose answer is not the document before this update (here: always none).
    if (this.answer === 'stale' || before === undefined) return null;
    return { value: before };
  }

  async deleteOne({ _id }: { _id: string }): Promise<void> {
    this.calls.push(`delete ${_id.startsWith('capability-probe:') ? 'probe' : _id}`);
    this.values.delete(_id);
  }
}

const on = (fake: FakeCounters) => fake as unknown as Collection<SequenceDocument>;
const duplicate = () => new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });

describe('scope counters: the one-round-trip $inc where the server passes the check at start, else compare-and-set', () => {
  it.each<[string, Answer, typeof IncrementCounter | typeof SequenceCounter]>([
    ['answers 1 then 2 (the document before each update)', 'atomic', IncrementCounter],
    ['answers no document before an update of an existing counter', 'stale', SequenceCounter],
    ['refuses the command', new MongoServerError({ message: 'no such command: findAndModify', code: 59 }), SequenceCounter],
  ])('should choose by what the server does: one that %s', async (_, answer, chosen) => {
    const fake = new FakeCounters(answer);
    const counterFor = await scopeCounters(on(fake));
    expect(counterFor('events')).toBeInstanceOf(chosen);
    // The probe's counter does not stay behind, whatever the server answered.
    expect(fake.calls[fake.calls.length - 1]).toBe('delete probe');
    expect(fake.values.size).toBe(0);
  });

  it('should fail the start when the server cannot be reached, rather than choose', async () => {
    const fake = new FakeCounters(new MongoNetworkError('connection refused'));
    await expect(scopeCounters(on(fake))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('should take each number in one $inc, asking for the document before it, from 1 for a new scope', async () => {
    const fake = new FakeCounters();
    const counter = new IncrementCounter(on(fake), 'events');
    expect([await counter.next('t1'), await counter.next('t1'), await counter.next('t2'), await counter.next('t1')]).toEqual([1, 2, 1, 3]);
    expect(fake.calls).toEqual(['inc events:t1 before upsert', 'inc events:t1 before upsert', 'inc events:t2 before upsert', 'inc events:t1 before upsert']);
  });

  it('should start a deleted scope at 1 again', async () => {
    const fake = new FakeCounters();
    const counter = new IncrementCounter(on(fake), 'events');
    await counter.next('t1');
    await counter.delete('t1');
    await expect(counter.next('t1')).resolves.toBe(1);
  });

  it('should take the next number when another taker created the counter at the same moment (E11000)', async () => {
    const fake = new FakeCounters();
    fake.values.set('events:t1', 1);
    fake.failures = [duplicate()];
    await expect(new IncrementCounter(on(fake), 'events').next('t1')).resolves.toBe(2);
    expect(fake.calls).toHaveLength(2);
  });

  it.each<[string, Error[]]>([
    ['a duplicate key three times over', [duplicate(), duplicate(), duplicate()]],
    ['any other refusal', [new MongoServerError({ message: 'not authorized', code: 13 })]],
  ])('should pass on %s', async (_, failures) => {
    const fake = new FakeCounters();
    fake.failures = [...failures];
    await expect(new IncrementCounter(on(fake), 'events').next('t1')).rejects.toBe(failures[failures.length - 1]);
    expect(fake.calls).toHaveLength(failures.length);
  });
});
