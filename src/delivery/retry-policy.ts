/** What to do after an attempt. Pure: the clock and randomness come in as arguments. */
export type RetryDecision =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead' }
  /** 410 Gone: the listener asks to be unregistered. */
  | { kind: 'gone' };

export interface RetryInput {
  /** HTTP status of the answer; undefined when there was none (refused, timeout, network error). */
  status?: number;
  /** A transport without HTTP statuses (Kafka) acknowledged the notification. */
  acknowledged?: boolean;
  /** Failed attempts in this round so far, this one included (1 after the first failure). */
  failures: number;
  /** Delays before the 2nd, 3rd, ... attempt; its length is the number of retries. */
  schedule: readonly number[];
  /** The Retry-After header of the answer, if any. */
  retryAfter?: string;
  /** Largest Retry-After honoured. */
  retryAfterCapMs: number;
  /** Current time in ms, to read an HTTP-date Retry-After. */
  now: number;
  /** A number in [0, 1) for the ±20% jitter. */
  random: number;
}

export const JITTER = 0.2;

/**
 * Any 2xx (or a Kafka acknowledgement) is delivered; 410 unregisters; otherwise retry after the scheduled delay (±20% jitter),
 * raised to a 429/503 Retry-After (capped), until the schedule is used up: then the delivery is dead.
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const { status } = input;
  if (input.acknowledged || (status !== undefined && status >= 200 && status < 300)) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  if (input.failures > input.schedule.length) return { kind: 'dead' };
  const base = input.schedule[input.failures - 1];
  let delayMs = Math.round(base * (1 - JITTER + 2 * JITTER * input.random));
  if ((status === 429 || status === 503) && input.retryAfter !== undefined) {
    const asked = parseRetryAfter(input.retryAfter, input.now);
    if (asked !== undefined) delayMs = Math.max(delayMs, Math.min(asked, input.retryAfterCapMs));
  }
  return { kind: 'retry', delayMs };
}

/** IMF-fixdate, the HTTP-date form senders must use (RFC 9110 5.6.7): Sun, 06 Nov 1994 08:49:37 GMT */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Retry-After as delta-seconds or an HTTP-date, in ms from now; undefined when unreadable. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse alone reads almost anything ("1.5" is a day in 2001), so the form is checked first.
  if (!HTTP_DATE.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
