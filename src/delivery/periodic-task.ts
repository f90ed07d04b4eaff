/**
 * Runs a job every `intervalMs` (and once at start), never two runs at once, without keeping the
 * process alive. The outbox sweepers use it.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly job: () => Promise<T>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
    void this.run();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One run; a call while one is under way shares it. */
  run(): Promise<T> {
    this.running ??= this.job().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
