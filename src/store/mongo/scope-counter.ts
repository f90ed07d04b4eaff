/** Hands out the sequence numbers of one collection's scopes (the events of each topic). */
export interface ScopeCounter {
  /** The scope's next number: 1 for a scope that has none yet. */
  next(scope: string): Promise<number>;
  /** Deletes the scope's counter: its numbers start again at 1. */
  delete(scope: string): Promise<void>;
}
