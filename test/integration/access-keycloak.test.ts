import { ClientDirectory } from '../../src/access/client-directory';
import { parseClientsFile } from '../../src/access/clients-file';
import { OidcVerifier } from '../../src/access/oidc-verifier';
import { clientToken, describeKeycloak, HUB_CLIENT } from '../helpers/keycloak-test';

/** Tokens from a real Keycloak (the realm of test/keycloak/tmf688-realm.json), by client credentials. */
describeKeycloak('OidcVerifier with tokens from Keycloak', (issuer) => {
  const problems: string[] = [];
  const directory = new ClientDirectory(
    parseClientsFile(`
clients:
  - name: billing
    oidcClientId: subscriber-b
    roles: [reader]
    topics: ["billing", "billing.*"]
    quota: { hubs: 3 }
`).clients,
  );
  const verifier = new OidcVerifier({ issuer, audience: HUB_CLIENT, entryOf: (azp) => directory.byOidcClientId(azp), onProblem: (m) => problems.push(m) });

  afterAll(() => expect(problems).toEqual([]));

  it.each<[string, unknown]>([
    ['publisher-a', { name: 'oidc:publisher-a', roles: ['publisher'], quota: {}, authenticatedBy: 'token' }],
    ['publisher-b', { name: 'oidc:publisher-b', roles: ['publisher'], quota: {}, authenticatedBy: 'token' }],
    ['subscriber-a', { name: 'oidc:subscriber-a', roles: ['subscriber'], quota: {}, authenticatedBy: 'token' }],
    // Its role is a realm role: the token carries it in realm_access.roles.
    ['reader-a', { name: 'oidc:reader-a', roles: ['reader'], quota: {}, authenticatedBy: 'token' }],
    ['admin-a', { name: 'oidc:admin-a', roles: ['admin'], quota: {}, authenticatedBy: 'token' }],
    // Claimed by a clients-file entry through its azp: the entry's name, scopes and quota; roles of both.
    ['subscriber-b', { name: 'billing', roles: ['reader', 'subscriber'], topics: ['billing', 'billing.*'], quota: { hubs: 3 }, authenticatedBy: 'token' }],
  ])('should make the principal of %s', async (client, principal) => {
    expect(await verifier.verify(await clientToken(issuer, client))).toEqual({ principal });
  });

  it('should refuse a token Keycloak issued for another audience', async () => {
    const token = await clientToken(issuer, 'outsider');
    expect(await verifier.verify(token)).toEqual({ failure: { kind: 'invalid', description: 'The token is for another audience' } });
  });

  it('should count resource_access roles of HUB_OIDC_CLIENT_ID only', async () => {
    const other = new OidcVerifier({ issuer, audience: HUB_CLIENT, clientId: 'other-api' });
    expect((await other.verify(await clientToken(issuer, 'publisher-a'))).principal?.roles).toEqual([]);
    // A realm role counts whatever the client id.
    expect((await other.verify(await clientToken(issuer, 'reader-a'))).principal?.roles).toEqual(['reader']);
  });

  it('should refuse to trust an issuer named differently from what Keycloak says it is', async () => {
    const localhost = issuer.replace('127.0.0.1', 'localhost');
    const reported: string[] = [];
    const wrong = new OidcVerifier({ issuer: localhost, audience: HUB_CLIENT, onProblem: (m) => reported.push(m) });
    expect((await wrong.verify(await clientToken(issuer, 'publisher-a'))).failure?.kind).toBe('unavailable');
    expect(reported).toEqual([expect.stringContaining(`names the issuer "${issuer}", not "${localhost}"`)]);
  });

  it('should refuse a bad client secret at Keycloak (the realm is as the tests assume)', async () => {
    await expect(clientToken(issuer, 'publisher-a', 'wrong')).rejects.toThrow(/HTTP 401/);
  });
});
