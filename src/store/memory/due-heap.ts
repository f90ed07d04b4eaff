/** An entry of the due-time heap: when, a tie-breaking sequence number, and which delivery. */
export interface DueEntry {
  at: number;
  seq: number;
  id: string;
}

/** A binary min-heap ordered by due time, then by arrival. Entries may go stale; the owner checks them on pop. */
export class DueHeap {
  private readonly items: DueEntry[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(id: string, at: number): void {
    this.items.push({ at, seq: this.seq++, id });
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peek(): DueEntry | undefined {
    return this.items[0];
  }

  pop(): DueEntry | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length && last) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.items.length && this.less(left, smallest)) smallest = left;
        if (right < this.items.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    [this.items[a], this.items[b]] = [this.items[b], this.items[a]];
  }
}
