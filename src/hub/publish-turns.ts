/**
 * Fairness between ingest and delivery in one process: at most `perTurn` publishes start per turn
 * of the event loop while `busy()` says deliveries are waiting; the rest start in the next turns
 * (setImmediate, after the loop has polled I/O, so delivery answers are handled in between). Left
 * unbounded, every turn starts a publish per producer connection (each writing a delivery per hub)
 * while the worker finishes only the attempts whose answers came in that turn, and ingest starves
 * delivery. With no delivery waiting, publishes are never held.
 */
export class PublishTurns {
  private started = 0;
  private scheduled = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly perTurn: number,
    private readonly busy: () => boolean,
  ) {}

  /** Resolves when this publish may start. */
  enter(): Promise<void> | undefined {
    if (this.waiting.length === 0 && (this.started < this.perTurn || !this.busy())) {
      this.started++;
      this.nextTurn();
      return undefined;
    }
    const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.nextTurn();
    return turn;
  }

  private nextTurn(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.started = 0;
      const admit = this.busy() ? this.perTurn : this.waiting.length;
      for (const resolve of this.waiting.splice(0, admit)) {
        this.started++;
        resolve();
      }
      if (this.waiting.length || this.started) this.nextTurn();
    });
  }
}
