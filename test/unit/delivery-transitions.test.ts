import type { Delivery } from '../../src/store/delivery-types';
import {
  applyChange,
  claimableFor,
  finishedBefore,
  isFinished,
  outcomeChange,
  postponeChange,
  RELEASE_LEASE,
  releaseStagedChange,
  redeliverChange,
} from '../../src/store/delivery-transitions';
import { matchesFilter } from '../../src/query/match-filter';

const base: Delivery = {
  id: 'd', hubKind: 'topic', hubId: 'h', topicId: 't', eventId: 'e', eventResourceId: 'r', url: 'http://x', payload: '{}',
  status: 'pending', failures: 2, attempts: [], nextAttemptAt: 100, createdAt: '2024-01-01T00:00:00.000Z', leaseOwner: 'w', leaseUntil: 500,
};

describe('delivery transitions', () => {
  it.each<[string, Parameters<typeof applyChange>[1], Partial<Delivery>, Array<keyof Delivery>]>([
    ['a delivered outcome', outcomeChange({ attempt: { number: 1, at: 'x', durationMs: 1, outcome: 'delivered' }, status: 'delivered', failures: 2, nextAttemptAt: 100, deliveredAt: 'y', finishedAt: 7 }),
      { status: 'delivered', deliveredAt: 'y', finishedAt: 7 }, ['leaseOwner', 'leaseUntil']],
    ['a retry outcome', outcomeChange({ attempt: { number: 1, at: 'x', durationMs: 1, outcome: 'failed' }, status: 'pending', failures: 3, nextAttemptAt: 900 }),
      { status: 'pending', failures: 3, nextAttemptAt: 900 }, ['leaseOwner', 'leaseUntil', 'finishedAt']],
    ['a release', RELEASE_LEASE, { status: 'pending', nextAttemptAt: 100 }, ['leaseOwner', 'leaseUntil']],
    ['a postponement', postponeChange(450), { status: 'pending', nextAttemptAt: 450, failures: 2 }, ['leaseOwner', 'leaseUntil']],
    ['a staged release', releaseStagedChange(), { status: 'pending', leaseOwner: 'w' }, ['sequence']],
    ['a staged release with the sequence', releaseStagedChange(42), { status: 'pending', sequence: 42 }, []],
    ['a redelivery', redeliverChange(1000), { status: 'pending', failures: 0, nextAttemptAt: 1000 }, ['finishedAt']],
  ])('should apply %s', (_case, change, expected, absent) => {
    const d: Delivery = structuredClone(_case === 'a retry outcome' ? base : { ...base, finishedAt: 5 });
    applyChange(d, change);
    expect(d).toMatchObject(expected);
    for (const field of absent) expect(d[field]).toBeUndefined();
  });

  it('should append the attempt of an outcome, and only that', () => {
    const d = structuredClone(base);
    applyChange(d, outcomeChange({ attempt: { number: 1, at: 'x', durationMs: 1, outcome: 'failed' }, status: 'pending', failures: 3, nextAttemptAt: 900 }));
    expect(d.attempts).toEqual([{ number: 1, at: 'x', durationMs: 1, outcome: 'failed' }]);
  });

  it.each<[Delivery['status'], boolean]>([
    ['staged', false],
    ['pending', false],
    ['delivered', true],
    ['dead', true],
  ])('should count a %s delivery as finished: %s', (status, finished) => {
    expect(isFinished({ status })).toBe(finished);
  });

  it.each<[string, Partial<Delivery>, number, boolean]>([
    ['delivered before the cutoff', { status: 'delivered', finishedAt: 10 }, 11, true],
    ['dead before the cutoff', { status: 'dead', finishedAt: 10 }, 11, true],
    ['delivered at the cutoff', { status: 'delivered', finishedAt: 11 }, 11, false],
    ['pending with a stale finishedAt (a racing redelivery)', { status: 'pending', finishedAt: 1 }, 11, false],
    ['staged', { status: 'staged' }, 11, false],
  ])('should judge retention: %s', (_case, fields, cutoff, expired) => {
    expect(matchesFilter({ ...base, ...fields }, finishedBefore(cutoff))).toBe(expired);
  });

  it.each<[string, number, { perHubLimit: number; hubLimit?: Map<string, number>; hubBudget?: Map<string, number> }, number, number]>([
    ['an unlimited hub with room', 1, { perHubLimit: 4 }, 0, 3],
    ['an unlimited hub at its concurrency', 4, { perHubLimit: 4 }, 0, 0],
    ['a limited hub whose budget binds', 0, { perHubLimit: 4, hubBudget: new Map([['h', 2]]) }, 0, 2],
    ['a limited hub whose concurrency binds', 3, { perHubLimit: 4, hubBudget: new Map([['h', 9]]) }, 0, 1],
    ['a limited hub with an empty budget', 0, { perHubLimit: 4, hubBudget: new Map([['h', 0]]) }, 0, 0],
    ['a limited hub that this claim already took from', 1, { perHubLimit: 4, hubBudget: new Map([['h', 2]]) }, 1, 1],
    ['a limited hub this claim emptied', 2, { perHubLimit: 4, hubBudget: new Map([['h', 2]]) }, 2, 0],
    ['a budget of another hub', 0, { perHubLimit: 4, hubBudget: new Map([['other', 0]]) }, 0, 4],
    ['a hub whose own limit is above perHubLimit', 4, { perHubLimit: 4, hubLimit: new Map([['h', 10]]) }, 0, 6],
    ['a hub whose own limit is below perHubLimit', 1, { perHubLimit: 4, hubLimit: new Map([['h', 1]]) }, 0, 0],
    ['a hub over its own limit (its window was cut with more in flight)', 6, { perHubLimit: 4, hubLimit: new Map([['h', 2]]) }, 0, 0],
    ['a hub with its own limit and a budget: the smaller', 2, { perHubLimit: 4, hubLimit: new Map([['h', 10]]), hubBudget: new Map([['h', 3]]) }, 0, 3],
    ['a limit of another hub', 1, { perHubLimit: 4, hubLimit: new Map([['other', 1]]) }, 0, 3],
  ])('should leave room for %s', (_case, inFlight, request, taken, expected) => {
    expect(claimableFor('h', inFlight, request, taken)).toBe(expected);
  });
});
