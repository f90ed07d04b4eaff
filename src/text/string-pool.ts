/**
 * One instance of each string it has seen: records built from fresh copies of the same text (a hub's
 * id and callback, read anew from the store at every publish) can share one string instead of
 * holding a copy each. Bounded: past `max` distinct strings it starts over, which only stops the
 * sharing of what it held, never changes a value.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly max = 50_000) {}

  /** The pooled instance equal to `text`. */
  get(text: string): string {
    const pooled = this.pool.get(text);
    if (pooled !== undefined) return pooled;
    if (this.pool.size >= this.max) this.pool.clear();
    this.pool.set(text, text);
    return text;
  }

  get size(): number {
    return this.pool.size;
  }
}
