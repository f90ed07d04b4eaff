import { MongoServerError, type Collection } from 'mongodb';
import { SequenceCounter, type SequenceDocument } from '../../src/store/mongo/sequence-counter';

/** The counters collection as SequenceCounter uses it, in memory, counting round trips; `before` runs ahead of each call (another process). */
class FakeCounters {
  readonly values = new Map<string, number>();
  readonly calls: string[] = [];
  before?: (operation: string) => void;
  insertError?: Error;

  async findOne({ _id }: { _id: string }): Promise<SequenceDocument | null> {
    this.call('findOne');
    const value = this.values.get(_id);
    return value === undefined ? null : { _id, value };
  }

  async insertOne({ _id, value }: SequenceDocument): Promise<void> {
    this.call('insertOne');
    if (this.insertError) throw this.insertError;
    if (this.values.has(_id)) throw new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });
    this.values.set(_id, value);
  }

  async updateOne({ _id, value }: SequenceDocument, update: { $set: { value: number } }): Promise<{ modifiedCount: number }> {
    this.call('updateOne');
    if (this.values.get(_id) !== value) return { modifiedCount: 0 };
    this.values.set(_id, update.$set.value);
    return { modifiedCount: 1 };
  }

  async deleteOne({ _id }: { _id: string }): Promise<void> {
    this.call('deleteOne');
    this.values.delete(_id);
  }

  private call(operation: string): void {
    this.before?.(operation);
    this.calls.push(operation);
  }
}

function counterOn(fake: FakeCounters, remembered?: number): SequenceCounter {
  return new SequenceCounter(fake as unknown as Collection<SequenceDocument>, 'events', remembered);
}

describe('sequence counter (compare-and-set on a counter document per scope)', () => {
  it('should start a scope at 1, then take each number in one round trip while it is the only taker', async () => {
    const fake = new FakeCounters();
    const counter = counterOn(fake);
    expect([await counter.next('t1'), await counter.next('t1'), await counter.next('t1')]).toEqual([1, 2, 3]);
    expect(fake.calls).toEqual(['findOne', 'insertOne', 'updateOne', 'updateOne']);
    expect(fake.values.get('events:t1')).toBe(3);
  });

  it('should keep scopes apart', async () => {
    const counter = counterOn(new FakeCounters());
    expect([await counter.next('a'), await counter.next('b'), await counter.next('a')]).toEqual([1, 1, 2]);
  });

  it('should read the counter again and go on after the numbers another process took meanwhile', async () => {
    const fake = new FakeCounters();
    const counter = counterOn(fake);
    await counter.next('t1');
    fake.values.set('events:t1', 7);
    await expect(counter.next('t1')).resolves.toBe(8);
    expect(fake.calls.slice(2)).toEqual(['updateOne', 'findOne', 'updateOne']);
  });

  it('should read the counter another process created between its read and its insert', async () => {
    const fake = new FakeCounters();
    fake.before = (operation) => {
      if (operation === 'insertOne' && !fake.values.has('events:t1')) fake.values.set('events:t1', 4);
    };
    await expect(counterOn(fake).next('t1')).resolves.toBe(5);
    expect(fake.calls).toEqual(['findOne', 'insertOne', 'findOne', 'updateOne']);
  });

  it('should pass on any other failure to create the counter', async () => {
    const fake = new FakeCounters();
    fake.insertError = new MongoServerError({ message: 'not authorized', code: 13 });
    await expect(counterOn(fake).next('t1')).rejects.toBe(fake.insertError);
  });

  it('should start a deleted scope at 1 again', async () => {
    const fake = new FakeCounters();
    const counter = counterOn(fake);
    await counter.next('t1');
    await counter.next('t1');
    await counter.delete('t1');
    expect(fake.values.has('events:t1')).toBe(false);
    await expect(counter.next('t1')).resolves.toBe(1);
  });

  it('should remember at most `remembered` counters, forgetting the least recently used (it costs a read, never a wrong number)', async () => {
    const fake = new FakeCounters();
    const counter = counterOn(fake, 2);
    await counter.next('a');
    await counter.next('b');
    await counter.next('a');
    await counter.next('c');
    fake.calls.length = 0;
    // a was used after b, so b went when c came.
    await expect(counter.next('a')).resolves.toBe(3);
    expect(fake.calls).toEqual(['updateOne']);
    fake.calls.length = 0;
    await expect(counter.next('b')).resolves.toBe(2);
    expect(fake.calls).toEqual(['findOne', 'updateOne']);
  });
});
