import { createLogger, type Logger } from '../../src/logger';
import { Scheduler } from '../../src/scheduler';
import { pollUntil } from '../helpers/poll';

/** A logger that keeps what it is told. */
function recordingLogger(): { logger: Logger; lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const base = createLogger('silent');
  const logger = {
    ...base,
    info: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'info', msg, fields }),
    warn: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'warn', msg, fields }),
  } as Logger;
  return { logger, lines };
}

describe('Scheduler', () => {
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  it('should run every job once at start and then every interval', async () => {
    const runs: string[] = [];
    scheduler = new Scheduler(createLogger('silent'))
      .every('fast', 20, async () => void runs.push('fast'))
      .every('slow', 60_000, async () => void runs.push('slow'));
    scheduler.start();
    // Two runs of `fast` is the start and at least one interval; however slow the machine, `slow` ran once.
    await pollUntil(async () => (runs.filter((r) => r === 'fast').length >= 3 ? true : undefined), 5000, 'three runs of the fast job', 5);
    expect(runs.filter((r) => r === 'slow')).toHaveLength(1);
  });

  it('should run one run of a job at a time: a call while one is under way shares it', async () => {
    let calls = 0;
    let release!: () => void;
    scheduler = new Scheduler(createLogger('silent')).every('slow', 60_000, () => {
      calls++;
      return new Promise((resolve) => (release = () => resolve({ deleted: 3 })));
    });
    const first = scheduler.run('slow');
    const second = scheduler.run('slow');
    release();
    await expect(Promise.all([first, second])).resolves.toEqual([{ deleted: 3 }, { deleted: 3 }]);
    expect(calls).toBe(1);
  });

  it.each<[string, Record<string, number> | undefined, boolean]>([
    ['a count above zero', { released: 2, deleted: 0 }, true],
    ['only zero counts', { released: 0, deleted: 0 }, false],
    ['no counts', undefined, false],
  ])('should log %s at info: %s', async (_case, counts, logged) => {
    const { logger, lines } = recordingLogger();
    scheduler = new Scheduler(logger).every('staged outbox sweep', 60_000, async () => counts);
    await scheduler.run('staged outbox sweep');
    expect(lines).toEqual(logged ? [{ level: 'info', msg: 'staged outbox sweep', fields: counts }] : []);
  });

  it('should log a failed run, resolve, and run again next time', async () => {
    const { logger, lines } = recordingLogger();
    let call = 0;
    scheduler = new Scheduler(logger).every('event retention', 60_000, async () => {
      if (++call === 1) throw new Error('store down');
      return { deleted: 1 };
    });
    await expect(scheduler.run('event retention')).resolves.toBeUndefined();
    expect(lines).toEqual([{ level: 'warn', msg: 'event retention failed; will retry at the next run', fields: { err: expect.objectContaining({ message: 'store down' }) } }]);
    await expect(scheduler.run('event retention')).resolves.toEqual({ deleted: 1 });
  });

  it('should wait at stop for the runs under way, and run nothing after', async () => {
    let finished = false;
    let runs = 0;
    scheduler = new Scheduler(createLogger('silent')).every('slow', 10, async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
    });
    scheduler.start();
    await scheduler.stop();
    expect(finished).toBe(true);
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs).toBe(after);
  });

  it.each<[string, (s: Scheduler) => unknown, RegExp]>([
    ['a second job of the same name', (s) => s.every('a', 10, async () => undefined), /already scheduled/],
    ['a job added after start', (s) => (s.start(), s.every('b', 10, async () => undefined)), /has started/],
  ])('should refuse %s', (_case, act, message) => {
    scheduler = new Scheduler(createLogger('silent')).every('a', 60_000, async () => undefined);
    expect(() => act(scheduler!)).toThrow(message);
  });

  it('should refuse to run a job it does not have', async () => {
    scheduler = new Scheduler(createLogger('silent'));
    await expect(scheduler.run('nothing')).rejects.toThrow('no job named nothing');
  });
});
