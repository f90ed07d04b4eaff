import { attemptOutcome, type OutcomeInput } from '../../src/delivery/attempt-outcome';

const STARTED = Date.parse('2024-05-01T12:00:00.000Z');
const NOW = STARTED + 250;
const DUE = STARTED - 5_000;

function input(overrides: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    delivery: { failures: 0, nextAttemptAt: DUE },
    attemptNumber: 1,
    startedAt: STARTED,
    result: { status: 204, durationMs: 12.5 },
    now: NOW,
    random: 0.5,
    retrySchedule: [1_000, 10_000],
    retryAfterCapMs: 60_000,
    worker: 'host:1:abcd',
    ...overrides,
  };
}

describe('attemptOutcome', () => {
  it.each<[string, Partial<OutcomeInput>, { kind: string; status: string; failures: number; nextAttemptAt: number; finished: boolean; delivered: boolean }]>([
    ['a 2xx: delivered, failures kept', { delivery: { failures: 1, nextAttemptAt: DUE }, result: { status: 200, durationMs: 3 } },
      { kind: 'delivered', status: 'delivered', failures: 1, nextAttemptAt: DUE, finished: true, delivered: true }],
    ['a 500 with the schedule left: retry after the first delay', { result: { status: 500, durationMs: 3 } },
      { kind: 'retry', status: 'pending', failures: 1, nextAttemptAt: NOW + 1_000, finished: false, delivered: false }],
    ['a network error on the second failure: the second delay', { delivery: { failures: 1, nextAttemptAt: DUE }, result: { error: 'ECONNREFUSED', durationMs: 1 } },
      { kind: 'retry', status: 'pending', failures: 2, nextAttemptAt: NOW + 10_000, finished: false, delivered: false }],
    ['a failure with the schedule used up: dead', { delivery: { failures: 2, nextAttemptAt: DUE }, result: { status: 502, durationMs: 3 } },
      { kind: 'dead', status: 'dead', failures: 3, nextAttemptAt: DUE, finished: true, delivered: false }],
    ['a 410: gone, recorded as dead', { result: { status: 410, durationMs: 3 } },
      { kind: 'gone', status: 'dead', failures: 1, nextAttemptAt: DUE, finished: true, delivered: false }],
    ['a 429 with Retry-After beyond the delay: the Retry-After', { result: { status: 429, retryAfter: '30', durationMs: 3 } },
      { kind: 'retry', status: 'pending', failures: 1, nextAttemptAt: NOW + 30_000, finished: false, delivered: false }],
    ['a final failure (the hub is gone) with retries left: dead', { final: true, result: { error: 'the hub no longer exists', durationMs: 0 } },
      { kind: 'dead', status: 'dead', failures: 1, nextAttemptAt: DUE, finished: true, delivered: false }],
    ['a 3xx: a failure, retried', { result: { status: 302, durationMs: 3 } },
      { kind: 'retry', status: 'pending', failures: 1, nextAttemptAt: NOW + 1_000, finished: false, delivered: false }],
  ])('should map %s', (_case, overrides, expected) => {
    const { kind, record } = attemptOutcome(input(overrides));
    expect({
      kind,
      status: record.status,
      failures: record.failures,
      nextAttemptAt: record.nextAttemptAt,
      finished: record.finishedAt === NOW,
      delivered: record.deliveredAt === new Date(NOW).toISOString(),
    }).toEqual(expected);
    expect(record.attempt.outcome).toBe(expected.delivered ? 'delivered' : 'failed');
    if (!expected.finished) expect(record.finishedAt).toBeUndefined();
    if (!expected.delivered) expect(record.deliveredAt).toBeUndefined();
  });

  it('should record the attempt: number, start time, duration, status, error, response snippet and worker', () => {
    const { record } = attemptOutcome(input({ attemptNumber: 3, result: { status: 503, response: 'busy', durationMs: 41.2 } }));
    expect(record.attempt).toEqual({
      number: 3,
      at: '2024-05-01T12:00:00.000Z',
      durationMs: 41.2,
      statusCode: 503,
      response: 'busy',
      outcome: 'failed',
      worker: 'host:1:abcd',
    });
    const noAnswer = attemptOutcome(input({ result: { error: 'timed out after 10 ms', durationMs: 10 } })).record.attempt;
    expect(noAnswer).toEqual({ number: 1, at: '2024-05-01T12:00:00.000Z', durationMs: 10, error: 'timed out after 10 ms', outcome: 'failed', worker: 'host:1:abcd' });
  });

  it('should stamp every time of the outcome with the one clock reading it is given', () => {
    const { record } = attemptOutcome(input({ now: NOW + 7 }));
    expect(record.finishedAt).toBe(NOW + 7);
    expect(record.deliveredAt).toBe(new Date(NOW + 7).toISOString());
  });
});
