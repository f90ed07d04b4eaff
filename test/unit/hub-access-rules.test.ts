import type { Principal, Role } from '../../src/access/principal';
import { ForbiddenError } from '../../src/errors';
import { matchesFilter } from '../../src/query/match-filter';
import { asAsked, fieldsToJudge, ownedInput, ownerClauses, sees } from '../../src/hub/hub-ownership';
import { assertTopicAccess, isScoped, topicScopeClauses } from '../../src/hub/topic-access';

const who = (name: string, roles: Role[], topics?: string[]): Principal => ({ name, roles, ...(topics && { topics }), quota: {}, authenticatedBy: 'key' });
const BILLING = who('billing', ['subscriber']);
const ADMIN = who('ops', ['admin']);
const SCOPED = who('om', ['publisher'], ['orders', 'orders.*']);

describe('hub ownership', () => {
  it.each<[string, Principal | undefined, Record<string, unknown>, boolean]>([
    ['its owner', BILLING, { id: 'h', owner: 'billing' }, true],
    ['another principal', BILLING, { id: 'h', owner: 'assurance' }, false],
    ['anyone but an admin, a hub made before owners were recorded', BILLING, { id: 'h' }, false],
    ['an admin, another\'s hub', ADMIN, { id: 'h', owner: 'billing' }, true],
    ['an admin, a hub without an owner', ADMIN, { id: 'h' }, true],
    ['the hub itself (no actor)', undefined, { id: 'h', owner: 'billing' }, true],
  ])('should let %s see the hub: %s', (_case, actor, hub, expected) => {
    expect(sees(actor, hub as { id: string })).toBe(expected);
  });

  it.each<[string, Principal | undefined, number]>([
    ['a subscriber', BILLING, 1],
    ['an admin', ADMIN, 0],
    ['the hub itself', undefined, 0],
  ])('should filter the list of %s to its own hubs with %i clause(s)', (_case, actor, clauses) => {
    const filter = ownerClauses(actor);
    expect(filter).toHaveLength(clauses);
    if (clauses) {
      expect(matchesFilter({ owner: 'billing' }, filter)).toBe(true);
      expect(matchesFilter({ owner: 'assurance' }, filter)).toBe(false);
      expect(matchesFilter({}, filter)).toBe(false);
    }
  });

  it.each<[string, Principal | undefined, Record<string, unknown>, Record<string, unknown>]>([
    ['a client-sent owner, replaced by the actor', BILLING, { callback: 'x', owner: 'ops' }, { callback: 'x', owner: 'billing' }],
    ['a new hub of the actor', BILLING, { callback: 'x' }, { callback: 'x', owner: 'billing' }],
    ['a client-sent owner, dropped when the hub itself creates (seeds)', undefined, { callback: 'x', owner: 'ops' }, { callback: 'x' }],
  ])('should take %s', (_case, actor, input, expected) => {
    expect(ownedInput(input, actor)).toEqual(expected);
  });

  it.each<[string, Principal | undefined, string[] | undefined, string[] | undefined]>([
    ['all fields', BILLING, undefined, undefined],
    ['some fields, for a non-admin: the owner added to judge by', BILLING, ['callback'], ['callback', 'owner']],
    ['some fields with the owner', BILLING, ['owner'], ['owner']],
    ['some fields, for an admin', ADMIN, ['callback'], ['callback']],
  ])('should read %s', (_case, actor, fields, read) => {
    expect(fieldsToJudge(actor, fields)).toEqual(read);
  });

  it('should drop an owner read only to judge by, and keep one asked for', () => {
    expect(asAsked({ id: 'h', callback: 'x', owner: 'billing' }, ['callback'])).toEqual({ id: 'h', callback: 'x' });
    expect(asAsked({ id: 'h', owner: 'billing' }, ['owner'])).toEqual({ id: 'h', owner: 'billing' });
    expect(asAsked({ id: 'h', owner: 'billing' }, undefined)).toEqual({ id: 'h', owner: 'billing' });
  });
});

describe('topic access', () => {
  it.each<[string, Principal | undefined, Record<string, unknown>, string | undefined]>([
    ['a topic in scope', SCOPED, { id: 't', name: 'orders.eu' }, undefined],
    ['a topic out of scope', SCOPED, { id: 't', name: 'billing' }, 'The client om lacks the permission event:publish on topic "billing": it is not in the client\'s topic scopes'],
    ['a topic without a name, for a scoped actor', SCOPED, { id: 't' }, 'The client om lacks the permission event:publish on a topic without a name: it is not in the client\'s topic scopes'],
    ['any topic, for an unscoped actor', BILLING, { id: 't', name: 'billing' }, 'The client billing lacks the permission event:publish'],
    ['any topic, for the hub itself', undefined, { id: 't', name: 'billing' }, undefined],
  ])('should judge %s', (_case, actor, topic, refusal) => {
    const act = () => assertTopicAccess(actor, 'event:publish', topic as { id: string });
    if (refusal === undefined) expect(act).not.toThrow();
    else {
      expect(act).toThrow(ForbiddenError);
      expect(act).toThrow(refusal);
    }
  });

  it('should filter a topic list by the scopes only for a scoped actor', () => {
    expect(isScoped(SCOPED)).toBe(true);
    expect([isScoped(BILLING), isScoped(undefined), topicScopeClauses(BILLING), topicScopeClauses(undefined)]).toEqual([false, false, [], []]);
    const [clause] = topicScopeClauses(SCOPED);
    for (const [name, kept] of [['orders', true], ['orders.x', true], ['ordersx', false], ['billing', false]] as const) {
      expect(matchesFilter({ name }, [clause])).toBe(kept);
    }
  });
});
