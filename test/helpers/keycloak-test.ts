/**
 * The Keycloak the access suites get tokens from: CI starts one with test/keycloak/start-keycloak.sh
 * and passes its realm's issuer URL here (http://127.0.0.1:<port>/realms/tmf688), for both store
 * runs. Locally, without it, the suites are skipped (and say so); in CI a missing Keycloak is a failure.
 */
export const TEST_KEYCLOAK_ISSUER = process.env.HUB_TEST_KEYCLOAK_URL || undefined;

/** The realm file's hub client, and its service-account clients (each secret is "<clientId>-secret"). */
export const HUB_CLIENT = 'tmf688-hub';

/** describe() when a Keycloak is given; otherwise a skip that says why, or in CI a failing test. */
export function describeKeycloak(name: string, body: (issuer: string) => void): void {
  if (TEST_KEYCLOAK_ISSUER) {
    describe(name, () => body(TEST_KEYCLOAK_ISSUER));
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Keycloak: CI must set HUB_TEST_KEYCLOAK_URL (test/keycloak/start-keycloak.sh)', () => {
        throw new Error('HUB_TEST_KEYCLOAK_URL is not set in CI: Keycloak did not start');
      });
    });
  } else {
    console.log(`Skipping "${name}": HUB_TEST_KEYCLOAK_URL is not set (start Keycloak with test/keycloak/start-keycloak.sh, then export HUB_TEST_KEYCLOAK_URL=$(cat /tmp/tmf688-keycloak/address); CI does).`);
    describe.skip(`${name} (skipped: set HUB_TEST_KEYCLOAK_URL, e.g. from test/keycloak/start-keycloak.sh)`, () => body(''));
  }
}

/** An access token for a realm client by the client-credentials grant. */
export async function clientToken(issuer: string, clientId: string, secret = `${clientId}-secret`): Promise<string> {
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token) throw new Error(`no token for ${clientId}: HTTP ${response.status} ${body.error ?? ''}`);
  return body.access_token;
}
