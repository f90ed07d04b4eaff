import { denial, grantsOf, hasPermission, PERMISSIONS, type Permission } from '../../src/access/permissions';
import { isRole, OPEN_PRINCIPAL, ROLES, type Principal, type Role } from '../../src/access/principal';
import { inTopicScope, topicScopePattern, topicScopeProblem } from '../../src/access/topic-scope';

const principal = (roles: Role[], topics?: string[]): Principal => ({ name: 'billing', roles, ...(topics && { topics }), quota: {}, authenticatedBy: 'key' });

describe('roles and permissions', () => {
  it.each<[Role, Permission[]]>([
    ['reader', ['topic:read']],
    ['publisher', ['topic:read', 'event:publish']],
    ['subscriber', ['topic:read', 'hub:manage']],
    ['admin', ['topic:read', 'event:publish', 'hub:manage', 'admin']],
  ])('should let %s do %j and nothing else', (role, granted) => {
    expect(grantsOf(role)).toEqual(granted);
    for (const permission of PERMISSIONS) expect(hasPermission(principal([role]), permission)).toBe(granted.includes(permission));
  });

  it.each<[string, Role[], Permission, boolean]>([
    ['publisher and subscriber together: publish', ['publisher', 'subscriber'], 'event:publish', true],
    ['publisher and subscriber together: hubs', ['publisher', 'subscriber'], 'hub:manage', true],
    ['publisher and subscriber together: not admin', ['publisher', 'subscriber'], 'admin', false],
    ['no role at all: not even read', [], 'topic:read', false],
  ])('should judge %s', (_case, roles, permission, expected) => {
    expect(hasPermission(principal(roles), permission)).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    ['reader', true], ['admin', true], ['Admin', false], ['writer', false], ['', false], [undefined, false], [1, false],
  ])('should know %j as a role: %s', (value, expected) => {
    expect(isRole(value)).toBe(expected);
  });

  it('should keep the role names and the open principal as the contract says', () => {
    expect(ROLES).toEqual(['reader', 'publisher', 'subscriber', 'admin']);
    expect(OPEN_PRINCIPAL).toEqual({ name: 'anonymous', roles: ['admin'], quota: {}, authenticatedBy: 'open' });
    expect(Object.isFrozen(OPEN_PRINCIPAL) && Object.isFrozen(OPEN_PRINCIPAL.roles)).toBe(true);
  });
});

describe('topic scopes', () => {
  it.each<[string, string[] | undefined, string | undefined, boolean]>([
    ['no scopes: every topic', undefined, 'anything', true],
    ['no scopes: even a topic without a name', undefined, undefined, true],
    ['an exact name', ['orders'], 'orders', true],
    ['an exact name is not a prefix', ['orders'], 'orders.x', false],
    ['a pattern, one level below', ['orders.*'], 'orders.x', true],
    ['a pattern, two levels below', ['orders.*'], 'orders.x.y', true],
    ['a pattern does not cover its prefix', ['orders.*'], 'orders', false],
    ['a pattern does not cover a longer word', ['orders.*'], 'ordersx', false],
    ['a pattern does not cover the prefix and a dot alone', ['orders.*'], 'orders.', false],
    ['a pattern is not a suffix match', ['orders.*'], 'x.orders.y', false],
    ['both, for the whole tree: the root', ['orders', 'orders.*'], 'orders', true],
    ['both, for the whole tree: below', ['orders', 'orders.*'], 'orders.created', true],
    ['a topic without a name is in no scope', ['orders.*'], undefined, false],
    ['a deeper pattern', ['a.b.*'], 'a.b.c', true],
    ['a deeper pattern, a sibling', ['a.b.*'], 'a.c.d', false],
    ['case matters', ['Orders'], 'orders', false],
  ])('should judge %s', (_case, scopes, name, expected) => {
    expect(inTopicScope(scopes, name)).toBe(expected);
  });

  it.each<[string, unknown, RegExp | undefined]>([
    ['an exact name', 'orders', undefined],
    ['a pattern', 'orders.*', undefined],
    ['a deep pattern', 'a.b.c.*', undefined],
    ['an empty string', '', /non-empty string/],
    ['a number', 5, /non-empty string/],
    ['spaces around', ' orders', /spaces around/],
    ['a bare star', '*', /leave `topics` out/],
    ['a bare dot star', '.*', /leave `topics` out/],
    ['a star inside', 'or*ders', /may only end a scope/],
    ['a star without a dot', 'orders*', /may only end a scope/],
    ['two stars', 'a.*.*', /may only end a scope/],
    ['too long', `${'a'.repeat(257)}`, /at most 256/],
  ])('should judge the scope %s', (_case, scope, problem) => {
    const found = topicScopeProblem(scope);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });
});

describe('denial', () => {
  it.each<[string, Principal, Permission, string | null | undefined, { permission: Permission; topic?: string; message: RegExp } | undefined]>([
    ['a reader reading', principal(['reader']), 'topic:read', undefined, undefined],
    ['a reader publishing', principal(['reader']), 'event:publish', 'orders', { permission: 'event:publish', message: /^The client billing lacks the permission event:publish$/ }],
    ['a publisher creating a topic', principal(['publisher']), 'admin', undefined, { permission: 'admin', message: /lacks the permission admin$/ }],
    ['a publisher in scope', principal(['publisher'], ['orders.*']), 'event:publish', 'orders.created', undefined],
    ['a publisher out of scope', principal(['publisher'], ['orders.*']), 'event:publish', 'billing', { permission: 'event:publish', topic: 'billing', message: /lacks the permission event:publish on topic "billing": it is not in the client's topic scopes/ }],
    ['a scoped subscriber on a topic without a name', principal(['subscriber'], ['orders']), 'hub:manage', null, { permission: 'hub:manage', message: /on a topic without a name/ }],
    ['an unscoped subscriber on a topic without a name', principal(['subscriber']), 'hub:manage', null, undefined],
    ['the missing permission before the scope', principal(['reader'], ['orders']), 'event:publish', 'billing', { permission: 'event:publish', message: /lacks the permission event:publish$/ }],
    ['an admin anywhere', principal(['admin']), 'admin', 'whatever', undefined],
    ['a scoped admin (from a token) stays in its scopes', principal(['admin'], ['orders']), 'admin', 'billing', { permission: 'admin', topic: 'billing', message: /on topic "billing"/ }],
  ])('should judge %s', (_case, who, permission, topic, expected) => {
    const found = denial(who, permission, topic);
    if (!expected) return expect(found).toBeUndefined();
    expect(found).toEqual({ permission: expected.permission, ...(expected.topic && { topic: expected.topic }), message: expect.stringMatching(expected.message) });
  });
});

describe('topicScopePattern', () => {
  const NAMES = ['orders', 'orders.x', 'orders.x.y', 'orders.', 'ordersx', 'alarms', 'alarms\n', 'a.b(c)', 'a.b(c).d', 'aXb(c)', 'billing', '', 'orders\n.x'];
  it.each<[string[]]>([[['orders']], [['orders.*']], [['orders', 'orders.*']], [['alarms', 'a.b(c).*']], [['a.b(c)']], [['billing', 'orders.*', 'alarms']]])(
    'should match exactly the names inTopicScope accepts for %j',
    (scopes) => {
      const pattern = topicScopePattern(scopes);
      for (const name of NAMES) expect([name, pattern.test(name)]).toEqual([name, inTopicScope(scopes, name)]);
    },
  );

  it('should end without $, which MongoDB would also match before a final newline', () => {
    expect(topicScopePattern(['alarms']).source).toBe('^(?:alarms)(?![\\s\\S])');
  });
});
