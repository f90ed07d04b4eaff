/**
 * One record to produce: what a broker delivery attempt sends instead of an HTTP POST. The delivery
 * layer's record transport builds it; each bridge (src/kafka, src/nats, src/amqp, src/mqtt) sends it.
 */
export interface OutgoingRecord {
  /** The destination: the callback without its scheme (`kafka:orders.out` -> `orders.out`). */
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** The attempt fails when the broker has not acknowledged within this time. */
  timeoutMs: number;
}

/** The broker acknowledged, or `error` says why not. Never thrown. */
export interface RecordResult {
  error?: string;
  /** What the broker answered, for the attempt log. */
  response?: string;
  durationMs: number;
}

/** Milliseconds since `started` (performance.now()), to a tenth: the attempt log's duration. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * Waits for `work` to give the broker's answer (the attempt log's response), at most `timeoutMs`:
 * a broker error or the time running out is the attempt's error, prefixed with the broker's name.
 * `work` is not cancelled by the timeout: what it still does later (a late acknowledgement) is the
 * broker client's to finish, and a retry of the same delivery is recognisable by its webhook-id.
 */
export async function acknowledgement(
  broker: string,
  timeoutMs: number,
  work: () => Promise<string>,
  /** The error's message as it may be shown (credentials removed). */
  describe: (err: unknown) => string = (err) => (err as Error).message,
): Promise<RecordResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
  });
  const working = work();
  // An answer (or failure) that comes after the time ran out is the broker client's: it must not become an unhandled rejection.
  working.catch(() => undefined);
  try {
    const response = await Promise.race([working, timeout]);
    return { response, durationMs: elapsedMs(started) };
  } catch (err) {
    return { error: `${broker}: ${err instanceof TimeoutError ? err.message : describe(err)}`, durationMs: elapsedMs(started) };
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {}
