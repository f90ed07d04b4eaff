import type { ReceivedRequest, Responder } from './test-receiver';

/** A small seeded generator (mulberry32): the same failures on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Answers 500 to a share `failRate` of first attempts (webhook-attempt: 1) on `path`, 204 to
 * everything else; `refused` holds the requests it answered 500.
 */
export function failingFirstAttempts(path: string, failRate: number, random: () => number): { responder: Responder; refused: Set<ReceivedRequest> } {
  const refused = new Set<ReceivedRequest>();
  const responder: Responder = (req) => {
    if (req.path === path && req.headers['webhook-attempt'] === '1' && random() < failRate) {
      refused.add(req);
      return { status: 500 };
    }
    return { status: 204 };
  };
  return { responder, refused };
}

export interface OrderReport {
  /** Keys whose deliveries did not arrive in publish order, with what arrived. */
  outOfOrder: Array<{ key: string; expected: string[]; arrived: string[] }>;
  /** Events never answered with a 2xx. */
  lost: string[];
  /** How many first attempts were refused (so the test knows retries happened). */
  failedFirstAttempts: number;
}

/**
 * Checks what a listener received against the publish order. `published` holds eventIds in publish
 * order with their key. Per key, the attempts in arrival order, with repeats of one event (a failed
 * attempt and its retry) collapsed, must be exactly that key's events in publish order: no event
 * attempted before the one published ahead of it was delivered.
 */
export function checkKeyOrder(requests: readonly ReceivedRequest[], published: ReadonlyArray<{ eventId: string; key: string }>, refused: ReadonlySet<ReceivedRequest>): OrderReport {
  const keyOf = new Map(published.map((p) => [p.eventId, p.key]));
  const arrivedByKey = new Map<string, string[]>();
  const delivered = new Set<string>();
  let failedFirstAttempts = 0;
  for (const r of requests) {
    const eventId = String(r.json?.eventId);
    const key = keyOf.get(eventId);
    if (key === undefined) continue;
    const arrived = arrivedByKey.get(key) ?? [];
    arrivedByKey.set(key, arrived);
    if (arrived[arrived.length - 1] !== eventId) arrived.push(eventId);
    if (refused.has(r)) failedFirstAttempts++;
    else delivered.add(eventId);
  }
  const outOfOrder: OrderReport['outOfOrder'] = [];
  for (const key of new Set(published.map((p) => p.key))) {
    const expected = published.filter((p) => p.key === key).map((p) => p.eventId);
    const arrived = arrivedByKey.get(key) ?? [];
    if (JSON.stringify(expected) !== JSON.stringify(arrived)) outOfOrder.push({ key, expected, arrived });
  }
  return { outOfOrder, lost: published.filter((p) => !delivered.has(p.eventId)).map((p) => p.eventId), failedFirstAttempts };
}
