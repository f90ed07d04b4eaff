import { bearerChallenge, type TokenFailure } from '../../src/access/bearer-challenge';
import { parseClientsFile } from '../../src/access/clients-file';
import type { Role } from '../../src/access/principal';
import { tokenPrincipal, tokenRoles, type TokenClaims } from '../../src/access/token-claims';

const HUB = 'tmf688-hub';

describe('tokenRoles', () => {
  it.each<[string, TokenClaims, Role[]]>([
    ['client roles of the hub', { resource_access: { [HUB]: { roles: ['publisher'] } } }, ['publisher']],
    ['realm roles, the others dropped', { realm_access: { roles: ['default-roles-tmf688', 'reader', 'offline_access'] } }, ['reader']],
    ['the space-separated scope', { scope: 'email profile subscriber' }, ['subscriber']],
    ['the union of all three, in role order, once each', { realm_access: { roles: ['admin', 'reader'] }, resource_access: { [HUB]: { roles: ['reader', 'publisher'] } }, scope: 'subscriber reader' }, ['reader', 'publisher', 'subscriber', 'admin']],
    ['another client\'s roles do not count', { resource_access: { other: { roles: ['admin'] }, account: { roles: ['manage-account'] } } }, []],
    ['no claims at all', {}, []],
    ['roles in another case do not count', { realm_access: { roles: ['Admin'] }, scope: 'ADMIN' }, []],
    ['malformed claims are ignored', { realm_access: { roles: 'admin' }, resource_access: { [HUB]: ['admin'] }, scope: ['admin'] }, []],
    ['null claims are ignored', { realm_access: null, resource_access: null, scope: null }, []],
    ['non-strings in a list are skipped', { realm_access: { roles: [1, null, 'reader'] } }, ['reader']],
  ])('should read %s', (_case, claims, roles) => {
    expect(tokenRoles(claims, HUB)).toEqual(roles);
  });

  it('should not take roles from an inherited property named like the client id', () => {
    expect(tokenRoles({ resource_access: {} }, 'constructor')).toEqual([]);
    expect(tokenRoles({ resource_access: { __proto__: { roles: ['admin'] } } as unknown as Record<string, unknown> }, '__proto__')).toEqual([]);
  });
});

describe('tokenPrincipal', () => {
  const entries = parseClientsFile(
    JSON.stringify({
      clients: [
        { name: 'assurance', oidcClientId: 'assurance-svc', roles: ['reader'], topics: ['alarms', 'alarms.*'], quota: { publishPerSecond: 50 } },
        { name: 'ops', oidcClientId: 'ops-svc', roles: ['admin'] },
      ],
    }),
  ).clients;
  const entryOf = (azp: string) => entries.find((entry) => entry.oidcClientId === azp);

  it.each<[string, TokenClaims, unknown]>([
    ['an unclaimed client: oidc:<azp>, its token roles, every topic', { azp: 'publisher-a', sub: 'u1', resource_access: { [HUB]: { roles: ['publisher'] } } }, { name: 'oidc:publisher-a', roles: ['publisher'], quota: {}, authenticatedBy: 'token' }],
    ['a claimed client: the entry, with roles of both', { azp: 'assurance-svc', resource_access: { [HUB]: { roles: ['publisher'] } } }, { name: 'assurance', roles: ['reader', 'publisher'], topics: ['alarms', 'alarms.*'], quota: { publishPerSecond: 50 }, authenticatedBy: 'token' }],
    ['a claimed client with no token roles', { azp: 'ops-svc' }, { name: 'ops', roles: ['admin'], quota: {}, authenticatedBy: 'token' }],
    ['no azp: client_id', { client_id: 'cli', scope: 'reader' }, { name: 'oidc:cli', roles: ['reader'], quota: {}, authenticatedBy: 'token' }],
    ['no azp nor client_id: sub', { sub: 'user-1' }, { name: 'oidc:user-1', roles: [], quota: {}, authenticatedBy: 'token' }],
    ['a client_id never claims an entry (only azp does)', { client_id: 'assurance-svc' }, { name: 'oidc:assurance-svc', roles: [], quota: {}, authenticatedBy: 'token' }],
    ['an empty azp: the next one', { azp: '', sub: 's' }, { name: 'oidc:s', roles: [], quota: {}, authenticatedBy: 'token' }],
    ['a very long azp: the next one', { azp: 'x'.repeat(201), sub: 's' }, { name: 'oidc:s', roles: [], quota: {}, authenticatedBy: 'token' }],
  ])('should make %s', (_case, claims, expected) => {
    expect(tokenPrincipal(claims, HUB, entryOf)).toEqual(expected);
  });

  it.each<[string, TokenClaims]>([
    ['no client at all', { scope: 'admin' }],
    ['claims of the wrong types', { azp: 5, client_id: {}, sub: null }],
  ])('should refuse a token with %s', (_case, claims) => {
    expect(tokenPrincipal(claims, HUB, entryOf)).toBe('The token names no client (azp, client_id or sub)');
  });
});

describe('bearerChallenge', () => {
  it.each<[string, TokenFailure | undefined, string]>([
    ['no token sent: the realm alone', undefined, 'Bearer realm="tmf688-hub"'],
    ['a refused token', { kind: 'invalid', description: 'The token has expired' }, 'Bearer realm="tmf688-hub", error="invalid_token", error_description="The token has expired"'],
    ['a description with quotes, backslashes and a line break: dropped', { kind: 'invalid', description: 'a "b"\\c\r\nd é' }, 'Bearer realm="tmf688-hub", error="invalid_token", error_description="a bcd "'],
  ])('should say %s', (_case, failure, header) => {
    expect(bearerChallenge(failure)).toBe(header);
  });
});
