import { MongoServerError, type Collection } from 'mongodb';
import { guarded } from './mongo-errors';
import type { ScopeCounter } from './scope-counter';

/** One counter per scope: `_id` is `{collection}:{scope}`, `value` the last number handed out. */
export type SequenceDocument = { _id: string; value: number };

/** Counters whose last value a process remembers by default: a topic's worth each, so a few hundred kB at most. */
const REMEMBERED = 10_000;

/**
 * The sequence numbers of one collection's scopes (the events of each topic), from a counter
 * document per scope that every process on the database draws from; used on a server where the
 * one-round-trip IncrementCounter failed its check at start (scopeCounters). A number is taken by
 * compare-and-set: an update from the value last seen to the next, which exactly one taker wins;
 * one that finds the value moved (another process took numbers) reads it and tries again. Starting
 * from the last value this process took makes a number cost one round trip while this process is
 * the only publisher. (A conditional update is atomic on every server tried; an $inc answering the
 * updated document handed out duplicates on mongo-java-server, see IncrementCounter.) What is
 * remembered is only a starting guess, so forgetting it is always safe: past `remembered` counters
 * the least recently used is forgotten, and its next number costs a read first. Without the bound
 * a hub that keeps creating topics would keep an entry for each.
 */
export class SequenceCounter implements ScopeCounter {
  /** Counter id -> the last number this process took from it, least recently used first. */
  private readonly lastTaken = new Map<string, number>();

  constructor(
    private readonly counters: Collection<SequenceDocument>,
    private readonly collectionName: string,
    private readonly remembered = REMEMBERED,
  ) {}

  /** The scope's next number: 1 for a scope that has none yet. */
  async next(scope: string): Promise<number> {
    const _id = this.counterId(scope);
    let seen = this.lastTaken.get(_id);
    for (;;) {
      if (seen === undefined) {
        const found = await guarded(() => this.counters.findOne({ _id }));
        if (!found) {
          try {
            await guarded(() => this.counters.insertOne({ _id, value: 1 }));
            this.remember(_id, 1);
            return 1;
          } catch (err) {
            // Another process created the counter first: read it.
            if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
            continue;
          }
        }
        seen = found.value;
      }
      const current = seen;
      const result = await guarded(() => this.counters.updateOne({ _id, value: current }, { $set: { value: current + 1 } }));
      if (result.modifiedCount === 1) {
        this.remember(_id, current + 1);
        return current + 1;
      }
      seen = undefined;
    }
  }

  /** Deletes the scope's counter: its numbers start again at 1. */
  async delete(scope: string): Promise<void> {
    const _id = this.counterId(scope);
    this.lastTaken.delete(_id);
    await guarded(() => this.counters.deleteOne({ _id }));
  }

  private remember(id: string, value: number): void {
    // Set again at the end, so the map's first key is the counter used least recently.
    this.lastTaken.delete(id);
    if (this.lastTaken.size >= this.remembered) this.lastTaken.delete(this.lastTaken.keys().next().value as string);
    this.lastTaken.set(id, value);
  }

  private counterId(scope: string): string {
    return `${this.collectionName}:${scope}`;
  }
}
