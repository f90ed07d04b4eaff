import { AsyncLocalStorage } from 'node:async_hooks';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

/** A command's start or end, as the driver's command monitoring reports it, in the order it reported them. */
export interface CommandEvent {
  kind: 'start' | 'end';
  requestId: number;
  /** "find topics", "insert deliveries": the command's name and collection (starts only). */
  command?: string;
  /** What the test was doing when the command started (an AsyncLocalStorage tag); none for untagged work. */
  tag?: string;
}

/**
 * The sequential round trips of some commands: each wave is the commands started before any command
 * of the wave had ended (issued together, as by Promise.all); a command started after one of the
 * current wave ended waited on it, so it opens the next wave. Ends of commands not started here are
 * ignored, so `events` may be a slice of a longer log.
 */
export function commandWaves(events: readonly CommandEvent[]): string[][] {
  const waves: string[][] = [];
  let current = new Set<number>();
  const ended = new Set<number>();
  for (const event of events) {
    if (event.kind === 'end') {
      ended.add(event.requestId);
      continue;
    }
    if (waves.length === 0 || [...current].some((id) => ended.has(id))) {
      waves.push([]);
      current = new Set();
    }
    waves[waves.length - 1].push(event.command ?? '?');
    current.add(event.requestId);
  }
  return waves;
}

/** The collection a command names (its first field's value), for the log. */
const describeCommand = (event: CommandStartedEvent): string => {
  const target = event.command[event.commandName];
  return typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
};

/**
 * Records the commands of a client created with `monitorCommands: true`, each tagged with what
 * `run` was running when it started. The driver starts a command in the async context of the call
 * that issued it, so work the test did not tag (a worker's loop, scheduled jobs) stays untagged.
 */
export class CommandLog {
  readonly events: CommandEvent[] = [];
  private readonly context = new AsyncLocalStorage<string>();

  constructor(client: MongoClient) {
    client.on('commandStarted', (event: CommandStartedEvent) => {
      this.events.push({ kind: 'start', requestId: event.requestId, command: describeCommand(event), tag: this.context.getStore() });
    });
    const end = (event: CommandSucceededEvent | CommandFailedEvent) => this.events.push({ kind: 'end', requestId: event.requestId });
    client.on('commandSucceeded', end);
    client.on('commandFailed', end);
  }

  /** Runs `work` with its commands tagged `tag`. */
  run<T>(tag: string, work: () => Promise<T>): Promise<T> {
    return this.context.run(tag, work);
  }

  /** Tags every command of the named methods of `target` (the store calls of a job the test does not measure). */
  tagMethods<T extends object>(target: T, tag: string, names: ReadonlyArray<keyof T & string>): void {
    for (const name of names) {
      const method = target[name] as unknown as (...args: unknown[]) => Promise<unknown>;
      Object.assign(target, { [name]: (...args: unknown[]) => this.run(tag, () => method.apply(target, args)) });
    }
  }

  /** The waves of the commands tagged `tag` (undefined: the untagged ones) since the log was last cleared. */
  waves(tag: string | undefined): string[][] {
    const ids = new Set(this.events.filter((e) => e.kind === 'start' && e.tag === tag).map((e) => e.requestId));
    return commandWaves(this.events.filter((e) => ids.has(e.requestId)));
  }

  clear(): void {
    this.events.length = 0;
  }
}
