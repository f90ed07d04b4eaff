import { createHmac } from 'node:crypto';
import { exportSPKI, type JWTPayload } from 'jose';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { signingKey, TestIssuer, type SigningKey } from '../helpers/test-issuer';
import { STORE_KIND } from '../helpers/test-stores';

const AUDIENCE = 'tmf688-hub';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Token edge cases through the hub's HTTP API (the verifier's own cases are in
 * access-oidc-tokens.test.ts): each bad token answers 401 with the invalid_token challenge, quotes
 * nothing of the token, and changes nothing; an issuer that cannot be reached answers 503.
 */
describe(`bearer tokens through the API (${STORE_KIND} store)`, () => {
  let issuer: TestIssuer;
  let key: SigningKey;
  let hub: TestApp;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (changes: Record<string, unknown> = {}): JWTPayload => ({
    iss: issuer.issuer,
    aud: AUDIENCE,
    azp: 'ops-svc',
    exp: now() + 300,
    resource_access: { [AUDIENCE]: { roles: ['admin'] } },
    ...changes,
  });

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    key = await signingKey('key-a');
    issuer.reset([key]);
    hub = await buildTestApp({ config: { oidcIssuer: issuer.issuer, oidcAudience: AUDIENCE } });
  });
  afterAll(async () => {
    await hub.stop();
    await issuer.close();
  });

  const createTopic = (token: string, name: string) => hub.client.post(`${API}/topic`, { name }, { Authorization: `Bearer ${token}` });

  it('should let a good token in as its client', async () => {
    const created = await createTopic(await issuer.sign(key, claims()), 'good');
    expect(created.status).toBe(201);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['an expired token', () => issuer.sign(key, claims({ exp: now() - 120 })), /^The token has expired$/],
    ['a token not valid yet', () => issuer.sign(key, claims({ nbf: now() + 600 })), /^The token is not valid yet$/],
    ['a token of another issuer', () => issuer.sign(key, claims({ iss: 'http://127.0.0.1:1/realms/other' })), /^The token is from another issuer$/],
    ['a token for another audience', () => issuer.sign(key, claims({ aud: 'other-api' })), /^The token is for another audience$/],
    ['a token signed by a key the issuer does not publish', async () => issuer.sign(await signingKey('key-unknown'), claims()), /^The token is signed with a key the issuer does not publish$/],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, /^The token is not signed with an accepted algorithm/],
    [
      'HS256 signed with the public key as the secret',
      async () => {
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'key-a' })}.${b64(claims())}`;
        return `${input}.${createHmac('sha256', await exportSPKI(key.publicKey)).update(input).digest('base64url')}`;
      },
      /^The token is not signed with an accepted algorithm/,
    ],
  ])('should answer %s with 401 invalid_token, quote none of it, and change nothing', async (_case, make, description) => {
    const token = await make();
    const name = `refused-${Math.random().toString(36).slice(2)}`;
    const res = await createTopic(token, name);
    expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({ status: 401, code: 'Unauthorized', message: expect.stringMatching(description) });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="tmf688-hub", error="invalid_token", error_description="/);
    for (const part of token.split('.').filter((p) => p.length > 8)) expect(JSON.stringify(res.headers) + res.text).not.toContain(part);
    const admin = await issuer.sign(key, claims());
    expect((await hub.client.get(`${API}/topic?name=${name}`, { Authorization: `Bearer ${admin}` })).body).toEqual([]);
  });

  it('should answer 503 with Retry-After, not 401, while the issuer cannot be reached', async () => {
    const down = await TestIssuer.start();
    down.discoveryAnswer = { status: 500, body: 'down' };
    const away = await buildTestApp({ config: { oidcIssuer: down.issuer, oidcAudience: AUDIENCE } });
    try {
      const res = await away.client.post(`${API}/topic`, { name: 'x' }, { Authorization: `Bearer ${await down.sign(key, { ...claims(), iss: down.issuer })}` });
      expect({ status: res.status, retryAfter: res.headers['retry-after'], code: res.body.code }).toEqual({ status: 503, retryAfter: '5', code: 'ServiceUnavailable' });
      expect(res.headers['www-authenticate']).toBeUndefined();
    } finally {
      await away.stop();
      await down.close();
    }
  });
});
