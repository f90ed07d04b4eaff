import { chooseCandidates, roomPerHub, type Candidate, type Chosen } from '../../src/store/mongo/claim-candidates';
import { orderingLeaseKey } from '../../src/store/ordering-lease-key';

const due = (_id: string, hubId: string, key?: string): Candidate => ({ _id, hubId, nextAttemptAt: 0, ...(key === undefined ? {} : { key }) });

describe('which candidates a MongoDB claim leases', () => {
  it.each<[string, { inFlight?: Array<[string, number]>; limit?: Array<[string, number]>; budget?: Array<[string, number]> }, Array<[string, number]>]>([
    ['nothing in flight and no budgets: every hub has perHubLimit', {}, []],
    ['a hub partly in flight', { inFlight: [['a', 1]] }, [['a', 2]]],
    ['a hub at its limit', { inFlight: [['a', 3]] }, [['a', 0]]],
    ['a rate budget below the room', { budget: [['b', 1]] }, [['b', 1]]],
    ['an empty budget', { budget: [['b', 0]] }, [['b', 0]]],
    ['in flight and budget on one hub: the smaller', { inFlight: [['a', 1]], budget: [['a', 5]] }, [['a', 2]]],
    ['a hub with a limit of its own above perHubLimit', { limit: [['c', 8]] }, [['c', 8]]],
    ['a hub with a limit of its own, partly in flight', { inFlight: [['c', 5]], limit: [['c', 8]] }, [['c', 3]]],
    ['a hub whose own limit is below what it has in flight', { inFlight: [['c', 3]], limit: [['c', 1]] }, [['c', 0]]],
  ])('should give each hub its room: %s', (_case, { inFlight = [], limit, budget }, expected) => {
    const room = roomPerHub({
      perHubLimit: 3,
      inFlightByHub: new Map(inFlight),
      ...(limit ? { hubLimit: new Map(limit) } : {}),
      ...(budget ? { hubBudget: new Map(budget) } : {}),
    });
    expect([...room]).toEqual(expected);
  });

  it.each<[string, Candidate[], Array<[string, number]>, number, Chosen]>([
    ['all of them within the limits', [due('1', 'a'), due('2', 'b')], [], 5, { ids: ['1', '2'], heads: [] }],
    ['the first ones up to the claim limit', [due('1', 'a'), due('2', 'b'), due('3', 'c')], [], 2, { ids: ['1', '2'], heads: [] }],
    ['at most perHubLimit of a hub not listed', [due('1', 'a'), due('2', 'a'), due('3', 'a'), due('4', 'b')], [], 9, { ids: ['1', '2', '4'], heads: [] }],
    ['at most the room of a listed hub', [due('1', 'a'), due('2', 'a'), due('3', 'b')], [['a', 1]], 9, { ids: ['1', '3'], heads: [] }],
    ['none of a hub without room, going on past it', [due('1', 'a'), due('2', 'b')], [['a', 0]], 9, { ids: ['2'], heads: [] }],
    ['an ordered head with its key lease, counted against its hub', [due('1', 'a', 'k'), due('2', 'a'), due('3', 'a')], [], 9,
      { ids: ['2'], heads: [{ id: '1', keyLease: orderingLeaseKey('a', 'k') }] }],
    ['heads counted against the claim limit', [due('1', 'a', 'k'), due('2', 'b', 'k'), due('3', 'c')], [], 2,
      { ids: [], heads: [{ id: '1', keyLease: orderingLeaseKey('a', 'k') }, { id: '2', keyLease: orderingLeaseKey('b', 'k') }] }],
    ['nothing from nothing', [], [], 5, { ids: [], heads: [] }],
  ])('should choose %s', (_case, candidates, room, limit, expected) => {
    const given = new Map(room);
    expect(chooseCandidates(candidates, given, { limit, perHubLimit: 2 })).toEqual(expected);
    // The room given is the claim's, not the choice's to spend.
    expect([...given]).toEqual(room);
  });
});

describe('the ordering lease key', () => {
  it.each<[string, [string, string], [string, string]]>([
    ['another key of one hub', ['h1', 'k'], ['h1', 'k2']],
    ['one key of another hub', ['h1', 'k'], ['h2', 'k']],
    ['a hub id that is a prefix of the other', ['h', '1k'], ['h1', 'k']],
    ['an ordering key holding the separator', ['h', 'a\u0000b'], ['h', 'a']],
  ])('should tell apart %s', (_case, [hubA, keyA], [hubB, keyB]) => {
    expect(orderingLeaseKey(hubA, keyA)).not.toBe(orderingLeaseKey(hubB, keyB));
  });

  it('should keep the spelling that stored keyLease values already have (hub id, NUL, ordering key)', () => {
    expect(orderingLeaseKey('hub-1', 'order-9')).toBe('hub-1\u0000order-9');
  });
});
