import { describeAccessMatrix } from '../helpers/access-matrix';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { clientToken, describeKeycloak, HUB_CLIENT } from '../helpers/keycloak-test';

/**
 * The matrix with tokens Keycloak issues by client credentials (the realm of
 * test/keycloak/tmf688-realm.json). The clients file claims the realm's clients by azp to give them
 * names and topic scopes, with the reader role only: publishing and hubs need the roles the tokens
 * carry (resource_access.tmf688-hub.roles). The admin is a token no entry claims (oidc:admin-a).
 */
describeKeycloak('access control with Keycloak tokens', (issuer) => {
  let file: TestClientsFile;
  const tokens: string[] = [];
  const CLIENTS = { publisher: 'publisher-a', subscriberA: 'subscriber-a', subscriberB: 'subscriber-b', admin: 'admin-a' } as const;

  beforeAll(() => {
    file = writeClientsFile([
      { name: 'order-manager', oidcClientId: CLIENTS.publisher, roles: ['reader'], topics: ['orders', 'orders.*'] },
      { name: 'billing', oidcClientId: CLIENTS.subscriberA, roles: ['reader'] },
      { name: 'assurance', oidcClientId: CLIENTS.subscriberB, roles: ['reader'] },
    ]);
  });
  afterAll(() => file?.remove());

  describeAccessMatrix('Keycloak tokens', () => ({
    config: { clientsFile: file.path, oidcIssuer: issuer, oidcAudience: HUB_CLIENT },
    credentials: async () => {
      const token = async (client: string) => {
        const value = await clientToken(issuer, client);
        tokens.push(value);
        return { headers: { Authorization: `Bearer ${value}` }, value };
      };
      const [publisher, subscriberA, subscriberB, admin] = await Promise.all(Object.values(CLIENTS).map(token));
      return {
        // The WebSocket stream gets this token as a base64url subprotocol, as a browser may send it.
        publisher: { name: 'order-manager', headers: publisher.headers, wsProtocols: ['tmf688.json', `base64url.bearer.${Buffer.from(publisher.value).toString('base64url')}`] },
        subscriberA: { name: 'billing', headers: subscriberA.headers },
        subscriberB: { name: 'assurance', headers: subscriberB.headers },
        admin: { name: `oidc:${CLIENTS.admin}`, headers: admin.headers },
      };
    },
    secrets: () => [...tokens, ...Object.values(CLIENTS).map((client) => `${client}-secret`)],
  }));
});
