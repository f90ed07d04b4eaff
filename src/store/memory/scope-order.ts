/**
 * The ids of one scope in the order they were stored, with when each was stored and each id's
 * position: listAfter starts at the cursor and listStoredBetween binary-searches the times, instead
 * of scanning. Deleted ids are only marked; once they outnumber the live ones the arrays are rebuilt,
 * so a scope that keeps trimming (an inbox) does not grow without end.
 */
export class ScopeOrder {
  ids: string[] = [];
  storedAt: number[] = [];
  private position = new Map<string, number>();
  private dead = 0;

  add(id: string, storedAt: number): void {
    if (this.position.has(id)) return;
    this.position.set(id, this.ids.length);
    this.ids.push(id);
    // Never before the previous one, so a scope's times stay sorted (a clock stepping back cannot unsort them).
    this.storedAt.push(Math.max(storedAt, this.storedAt[this.storedAt.length - 1] ?? storedAt));
  }

  positionOf(id: string): number | undefined {
    return this.position.get(id);
  }

  /** One of the ids was deleted; `isLive` says which still exist, for a rebuild. */
  removed(isLive: (id: string) => boolean): void {
    this.dead++;
    if (this.dead < 1024 || this.dead < this.ids.length / 2) return;
    const keep = this.ids.map((id, i) => [id, this.storedAt[i]] as const).filter(([id]) => isLive(id));
    this.ids = keep.map(([id]) => id);
    this.storedAt = keep.map(([, at]) => at);
    this.position = new Map(this.ids.map((id, i) => [id, i]));
    this.dead = 0;
  }

  /** The first index stored at or after `at` (binary search over the sorted times). */
  firstAtOrAfter(at: number): number {
    let lo = 0;
    let hi = this.storedAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.storedAt[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
