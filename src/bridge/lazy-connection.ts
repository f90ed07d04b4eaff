/**
 * A connection (or channel) opened at its first use and kept: a hub starts while its broker is away,
 * and an opening that failed, or a connection that closed, is opened again at the next use.
 */
export class LazyConnection<T> {
  private opening: Promise<T> | undefined;

  constructor(private readonly open: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.opening) {
      const opening = this.open();
      this.opening = opening;
      opening.catch(() => void this.forget(opening));
    }
    return this.opening;
  }

  /** Whether an opening is held (it may still be under way). */
  get held(): boolean {
    return this.opening !== undefined;
  }

  /**
   * Forgets what is held, so that the next get() opens anew, and hands it back (to be closed). With
   * `which`, only if that is still what is held (a late close of an old connection changes nothing).
   */
  forget(which?: Promise<T>): Promise<T> | undefined {
    if (which !== undefined && which !== this.opening) return undefined;
    const opening = this.opening;
    this.opening = undefined;
    return opening;
  }
}
