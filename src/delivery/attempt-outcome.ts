import type { AttemptOutcome, Delivery } from '../store/delivery-types';
import { decideRetry } from './retry-policy';
import type { WebhookResult } from './webhook-client';

/** What one attempt came to: delivered, retry (pending again), dead (retries used up or no hub) or gone (410). */
export type AttemptKind = 'delivered' | 'retry' | 'dead' | 'gone';

export interface OutcomeInput {
  delivery: Pick<Delivery, 'failures' | 'nextAttemptAt'>;
  attemptNumber: number;
  /** When the attempt started (ms). */
  startedAt: number;
  result: WebhookResult;
  /** The one clock reading this outcome is stamped with (ms). */
  now: number;
  /** A number in [0, 1) for the retry jitter. */
  random: number;
  retrySchedule: readonly number[];
  retryAfterCapMs: number;
  /** The worker that made the attempt. */
  worker: string;
  /** A failure that ends the delivery whatever the schedule says (the hub no longer exists). */
  final?: boolean;
}

/**
 * Maps an attempt's result to what is recorded: the attempt log entry and the delivery's next state.
 * Pure: the retry policy decides success, retry or death; the clock and randomness come in.
 */
export function attemptOutcome(input: OutcomeInput): { kind: AttemptKind; record: AttemptOutcome } {
  const { result, now } = input;
  const decision = input.final
    ? { kind: 'dead' as const }
    : decideRetry({
        status: result.status,
        acknowledged: result.acknowledged,
        failures: input.delivery.failures + 1,
        schedule: input.retrySchedule,
        retryAfter: result.retryAfter,
        retryAfterCapMs: input.retryAfterCapMs,
        now,
        random: input.random,
      });
  const delivered = decision.kind === 'delivered';
  const record: AttemptOutcome = {
    attempt: {
      number: input.attemptNumber,
      at: new Date(input.startedAt).toISOString(),
      durationMs: result.durationMs,
      ...(result.status !== undefined ? { statusCode: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.response ? { response: result.response } : {}),
      outcome: delivered ? 'delivered' : 'failed',
      worker: input.worker,
    },
    status: delivered ? 'delivered' : decision.kind === 'retry' ? 'pending' : 'dead',
    failures: delivered ? input.delivery.failures : input.delivery.failures + 1,
    nextAttemptAt: decision.kind === 'retry' ? now + decision.delayMs : input.delivery.nextAttemptAt,
  };
  if (delivered) record.deliveredAt = new Date(now).toISOString();
  if (decision.kind !== 'retry') record.finishedAt = now;
  return { kind: decision.kind, record };
}
