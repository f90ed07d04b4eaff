/**
 * An abort signal for one request that undici accepts (it takes an emitter with `once` and
 * `removeListener` as well as an AbortSignal). It fires when its deadline passes and the sweep sees it.
 */
export class Deadline {
  aborted = false;
  private listeners: Array<() => void> = [];

  constructor(readonly until: number) {}

  once(_event: 'abort', listener: () => void): this {
    this.listeners.push(listener);
    return this;
  }

  on(event: 'abort', listener: () => void): this {
    return this.once(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    this.listeners = this.listeners.filter((l) => l !== listener);
    return this;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/** How often the sweep looks for deadlines that passed: the most a request can run past its timeout. */
export const SWEEP_MS = 100;

/**
 * The deadlines of the requests in flight, swept by one timer while there are any. It replaces an
 * AbortSignal.timeout per request (a timer and an EventTarget each: about 25 us of CPU a request,
 * measured), at the price of firing up to SWEEP_MS late.
 */
export class Deadlines {
  private readonly live = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(timeoutMs: number): Deadline {
    const deadline = new Deadline(this.now() + timeoutMs);
    this.live.add(deadline);
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), SWEEP_MS);
      this.timer.unref();
    }
    return deadline;
  }

  end(deadline: Deadline): void {
    this.live.delete(deadline);
    if (this.live.size === 0) this.stop();
  }

  /** Aborts every request whose deadline has passed. */
  sweep(): void {
    const now = this.now();
    for (const deadline of this.live) {
      if (deadline.until > now) continue;
      this.live.delete(deadline);
      deadline.abort();
    }
    if (this.live.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
