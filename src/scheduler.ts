import type { Logger } from './logger';

/** What a run did, by name (`{released: 2, deleted: 1}`): logged when any count is above zero. */
export type JobCounts = Readonly<Record<string, number>>;

export interface Job {
  /** Names the job in log lines: "staged outbox sweep", "event retention", ... */
  name: string;
  everyMs: number;
  run(): Promise<JobCounts | void>;
}

/**
 * The one place periodic work runs: the outbox sweeps, retention, worker heartbeats, the backlog
 * count, the bridges' source refresh. Each job runs once at start and then every `everyMs`, never
 * two runs of one job at once, without keeping the process alive. A run that throws is logged and
 * tried again at the next one: a periodic job never takes the process down.
 */
export class Scheduler {
  private readonly jobs = new Map<string, { job: Job; timer?: NodeJS.Timeout; running?: Promise<JobCounts | void> }>();
  private started = false;

  constructor(private readonly logger: Logger) {}

  /** Adds a job; before start() only. */
  every(name: string, everyMs: number, run: Job['run']): this {
    if (this.started) throw new Error(`the scheduler has started: ${name} cannot be added`);
    if (this.jobs.has(name)) throw new Error(`a job named ${name} is already scheduled`);
    this.jobs.set(name, { job: { name, everyMs, run } });
    return this;
  }

  get names(): string[] {
    return [...this.jobs.keys()];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const [name, entry] of this.jobs) {
      entry.timer = setInterval(() => void this.run(name), entry.job.everyMs);
      entry.timer.unref();
      void this.run(name);
    }
  }

  /** Stops the timers and waits for the runs under way. */
  async stop(): Promise<void> {
    for (const entry of this.jobs.values()) clearInterval(entry.timer);
    this.started = false;
    await Promise.all([...this.jobs.values()].map((entry) => entry.running));
  }

  /** One run of the job now; a call while one is under way shares it. Resolves to its counts (undefined when it failed). */
  run(name: string): Promise<JobCounts | void> {
    const entry = this.jobs.get(name);
    if (!entry) return Promise.reject(new Error(`no job named ${name}`));
    entry.running ??= this.once(entry.job).finally(() => (entry.running = undefined));
    return entry.running;
  }

  private async once(job: Job): Promise<JobCounts | void> {
    try {
      const counts = await job.run();
      if (counts && Object.values(counts).some((count) => count > 0)) this.logger.info(job.name, counts);
      return counts;
    } catch (err) {
      this.logger.warn(`${job.name} failed; will retry at the next run`, { err });
      return undefined;
    }
  }
}
