import type { LogLevel } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';

function capture(level: LogLevel): { logger: Logger; lines: string[]; records: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line));
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const METHODS = ['debug', 'info', 'warn', 'error'] as const;

describe('createLogger', () => {
  it('should write one JSON line per call with time, level, msg and fields', () => {
    const { logger, lines, records } = capture('debug');
    const before = Date.now();
    logger.info('hub started', { port: 8080, store: 'memory' });
    const after = Date.now();

    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].slice(0, -1)).not.toContain('\n');
    const [record] = records();
    expect(record).toMatchObject({ level: 'info', msg: 'hub started', port: 8080, store: 'memory' });
    expect(typeof record.time).toBe('string');
    const time = Date.parse(record.time as string);
    expect(new Date(time).toISOString()).toBe(record.time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });

  it('should write a line without fields', () => {
    const { logger, records } = capture('info');
    logger.warn('careful');
    expect(Object.keys(records()[0]).sort()).toEqual(['level', 'msg', 'time']);
  });

  it('should keep a message with newlines on one line', () => {
    const { logger, lines, records } = capture('info');
    logger.info('two\nlines');
    expect(lines[0].slice(0, -1)).not.toContain('\n');
    expect(records()[0].msg).toBe('two\nlines');
  });

  it.each(METHODS)('should label a %s call with its level', (method) => {
    const { logger, records } = capture('debug');
    logger[method]('m');
    expect(records()).toEqual([expect.objectContaining({ level: method, msg: 'm' })]);
  });

  it.each<[LogLevel, string[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ])('should at level %p emit only %p', (level, emitted) => {
    const { logger, records } = capture(level);
    for (const method of METHODS) logger[method](`${method} message`);
    expect(records().map((r) => r.level)).toEqual(emitted);
  });

  it('should add child fields to every line of the child', () => {
    const { logger, records } = capture('info');
    const child = logger.child({ requestId: 'r-1' });
    child.info('first');
    child.error('second', { status: 500 });
    logger.info('parent');
    const [first, second, parent] = records();
    expect(first).toMatchObject({ msg: 'first', requestId: 'r-1' });
    expect(second).toMatchObject({ msg: 'second', requestId: 'r-1', status: 500, level: 'error' });
    expect(parent).not.toHaveProperty('requestId');
  });

  it('should combine fields of nested children', () => {
    const { logger, records } = capture('info');
    logger.child({ requestId: 'r-1' }).child({ topicId: 't-1' }).info('nested');
    expect(records()[0]).toMatchObject({ requestId: 'r-1', topicId: 't-1', msg: 'nested' });
  });

  it('should let a child keep the parent level', () => {
    const { logger, lines } = capture('warn');
    const child = logger.child({ a: 1 });
    child.info('hidden');
    child.debug('hidden');
    expect(lines).toHaveLength(0);
    child.warn('shown');
    expect(lines).toHaveLength(1);
  });

  it('should serialise an Error field with its name and message', () => {
    const { logger, records } = capture('info');
    logger.error('delivery failed', { err: new TypeError('socket hang up') });
    const err = records()[0].err as Record<string, unknown>;
    expect(err).toMatchObject({ name: 'TypeError', message: 'socket hang up' });
    expect(typeof err.stack).toBe('string');
  });

  it('should serialise an Error nested deeper in the fields', () => {
    const { logger, records } = capture('info');
    const custom = new Error('boom');
    custom.name = 'CustomError';
    logger.warn('retry', { attempt: { number: 2, cause: custom } });
    const attempt = records()[0].attempt as Record<string, Record<string, unknown>>;
    expect(attempt.number).toBe(2);
    expect(attempt.cause).toMatchObject({ name: 'CustomError', message: 'boom' });
  });
});
