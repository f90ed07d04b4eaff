/**
 * The ids of one scope in the order they were stored, with when each was stored, its sequence (0
 * when it has none) and each id's position: listAfterSequence and listStoredBetween binary-search
 * instead of scanning. A resource stored with a lower sequence than the last one (two publishes that
 * took their numbers in one order and stored in the other) is placed by its sequence. Deleted ids
 * are only marked; once they outnumber the live ones the arrays are rebuilt, so a scope that keeps
 * trimming (an inbox) does not grow without end.
 */
export class ScopeOrder {
  ids: string[] = [];
  storedAt: number[] = [];
  sequences: number[] = [];
  /** Whether some resource was placed before the last one: insertion order then differs from this order. */
  reordered = false;
  private position = new Map<string, number>();
  private dead = 0;

  /** `bySequence`: place it by its sequence (a sequenced store), else after the last one. */
  add(id: string, storedAt: number, sequence = 0, bySequence = true): void {
    if (this.position.has(id)) return;
    const last = this.ids.length - 1;
    if (!bySequence || sequence === 0 || last < 0 || sequence >= this.sequences[last]) {
      this.position.set(id, this.ids.length);
      this.ids.push(id);
      this.sequences.push(sequence);
      // Never before the previous one, so a scope's times stay sorted (a clock stepping back cannot unsort them).
      this.storedAt.push(Math.max(storedAt, this.storedAt[last] ?? storedAt));
      return;
    }
    const at = this.firstAbove(sequence);
    this.ids.splice(at, 0, id);
    this.sequences.splice(at, 0, sequence);
    this.storedAt.splice(at, 0, Math.max(this.storedAt[at - 1] ?? storedAt, Math.min(storedAt, this.storedAt[at])));
    for (let i = at; i < this.ids.length; i++) this.position.set(this.ids[i], i);
    this.reordered = true;
  }

  positionOf(id: string): number | undefined {
    return this.position.get(id);
  }

  /** One of the ids was deleted; `isLive` says which still exist, for a rebuild. */
  removed(isLive: (id: string) => boolean): void {
    this.dead++;
    if (this.dead < 1024 || this.dead < this.ids.length / 2) return;
    const keep = this.ids.map((id, i) => [id, this.storedAt[i], this.sequences[i]] as const).filter(([id]) => isLive(id));
    this.ids = keep.map(([id]) => id);
    this.storedAt = keep.map(([, at]) => at);
    this.sequences = keep.map(([, , sequence]) => sequence);
    this.position = new Map(this.ids.map((id, i) => [id, i]));
    this.dead = 0;
  }

  /** The first index stored at or after `at` (binary search over the sorted times). */
  firstAtOrAfter(at: number): number {
    return lowerBound(this.storedAt, (value) => value < at);
  }

  /** The first index whose sequence is above `sequence`. */
  firstAbove(sequence: number): number {
    return lowerBound(this.sequences, (value) => value <= sequence);
  }
}

/** The first index of a sorted array at which `before` stops holding. */
function lowerBound(values: readonly number[], before: (value: number) => boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(values[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
