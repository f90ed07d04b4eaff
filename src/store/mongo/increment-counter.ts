import { MongoServerError, type Collection } from 'mongodb';
import { guarded } from './mongo-errors';
import type { ScopeCounter } from './scope-counter';
import type { SequenceDocument } from './sequence-counter';

/**
 * The sequence numbers of one collection's scopes, taken by one atomic `$inc` on the scope's counter
 * document (created by the same update the first time): one round trip per number, however many
 * processes take numbers. The answer asked for is the document as it was before the update, whose
 * value plus one is this taker's number: mongo-java-server (the CI's test server) answers the
 * document after an update with its live copy, which a concurrent update may change before it is
 * sent (duplicates under concurrency), but copies the one before under the update's lock. The
 * counter documents are those of SequenceCounter, so processes using either share them safely.
 */
export class IncrementCounter implements ScopeCounter {
  constructor(
    private readonly counters: Collection<SequenceDocument>,
    private readonly collectionName: string,
  ) {}

  async next(scope: string): Promise<number> {
    return incrementCounter(this.counters, `${this.collectionName}:${scope}`);
  }

  async delete(scope: string): Promise<void> {
    await guarded(() => this.counters.deleteOne({ _id: `${this.collectionName}:${scope}` }));
  }
}

/** The counter's next number: 1 for a counter that did not exist. */
export async function incrementCounter(counters: Collection<SequenceDocument>, _id: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const before = await guarded(() =>
        counters.findOneAndUpdate({ _id }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'before', projection: { _id: 0, value: 1 } }),
      );
      return (typeof before?.value === 'number' ? before.value : 0) + 1;
    } catch (err) {
      // Two first numbers at once may both try to create the counter: the one that lost takes the next.
      if (attempt < 3 && err instanceof MongoServerError && err.code === 11000) continue;
      throw err;
    }
  }
}
