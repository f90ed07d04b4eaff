import { createHmac } from 'node:crypto';
import { exportSPKI, type JWTPayload } from 'jose';
import { bearerChallenge } from '../../src/access/bearer-challenge';
import { OidcVerifier, type TokenResult } from '../../src/access/oidc-verifier';
import { pollUntil } from '../helpers/poll';
import { signingKey, TestIssuer, type SigningKey } from '../helpers/test-issuer';

const AUDIENCE = 'tmf688-hub';
const T0 = Date.UTC(2026, 0, 1, 12) / 1000;

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Every refusal: invalid, a fixed description, and neither the token nor any part of it anywhere. */
function expectRefused(result: TokenResult, token: string, description: RegExp): void {
  expect(result.principal).toBeUndefined();
  expect(result.failure).toEqual({ kind: 'invalid', description: expect.stringMatching(description) });
  const shown = JSON.stringify(result) + bearerChallenge(result.failure);
  for (const part of token.split('.').filter((p) => p.length > 8)) expect(shown).not.toContain(part);
}

describe('OidcVerifier against a JWKS on loopback', () => {
  let issuer: TestIssuer;
  let keyA: SigningKey;
  let now: number;
  let problems: string[];
  let verifier: OidcVerifier;
  /** Claims of a good token at `now`, with `changes` applied (undefined deletes). */
  const claims = (changes: Record<string, unknown> = {}): JWTPayload => {
    const base: Record<string, unknown> = { iss: issuer.issuer, aud: AUDIENCE, azp: 'publisher-a', sub: 's1', iat: now, exp: now + 300, resource_access: { [AUDIENCE]: { roles: ['publisher'] } } };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete base[name];
      else base[name] = value;
    }
    return base as JWTPayload;
  };

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    keyA = await signingKey('key-a');
  });
  afterAll(() => issuer.close());

  beforeEach(() => {
    issuer.reset([keyA]);
    now = T0;
    problems = [];
    verifier = new OidcVerifier({ issuer: issuer.issuer, audience: AUDIENCE, clock: () => now * 1000, onProblem: (m) => problems.push(m) });
  });

  it('should accept a good token and make its principal, fetching discovery and keys once', async () => {
    const first = await verifier.verify(await issuer.sign(keyA, claims()));
    const second = await verifier.verify(await issuer.sign(keyA, claims({ azp: 'publisher-b' })));
    expect(first).toEqual({ principal: { name: 'oidc:publisher-a', roles: ['publisher'], quota: {}, authenticatedBy: 'token' } });
    expect(second.principal?.name).toBe('oidc:publisher-b');
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 1 });
    expect(problems).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['an array aud holding the audience', 'ok', { aud: ['account', AUDIENCE] }],
    ['expired 59 s ago (inside the 60 s leeway)', 'ok', { exp: T0 - 59 }],
    ['expired 61 s ago', 'The token has expired', { exp: T0 - 61 }],
    ['valid from 59 s ahead (inside the leeway)', 'ok', { nbf: T0 + 59 }],
    ['not valid until 61 s ahead', 'The token is not valid yet', { nbf: T0 + 61 }],
    ['from another issuer', 'The token is from another issuer', { iss: 'http://127.0.0.1:1/realms/other' }],
    ['from the issuer with a trailing slash', 'The token is from another issuer', { iss: 'ISSUER/' }],
    ['for another audience', 'The token is for another audience', { aud: 'other-api' }],
    ['for other audiences', 'The token is for another audience', { aud: ['other-api', 'account'] }],
    ['without aud', 'The token lacks the aud claim', { aud: undefined }],
    ['without exp', 'The token lacks the exp claim', { exp: undefined }],
    ['with a non-numeric exp', "The token's exp claim is not valid", { exp: 'tomorrow' }],
    ['with a non-numeric nbf', "The token's nbf claim is not valid", { nbf: 'now' }],
    ['with an iat in the future', 'ok', { iat: T0 + 3600 }],
  ])('should judge a token %s', async (_case, outcome, changes) => {
    const fixed = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === 'ISSUER/' ? `${issuer.issuer}/` : v]));
    const token = await issuer.sign(keyA, claims(fixed));
    const result = await verifier.verify(token);
    if (outcome === 'ok') expect(result.principal?.name).toBe('oidc:publisher-a');
    else expectRefused(result, token, new RegExp(`^(${outcome})$`));
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, /^The token is not signed with an accepted algorithm/],
    [
      'HS256 signed with the public key as the secret',
      async () => {
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'key-a' })}.${b64(claims())}`;
        const secret = await exportSPKI(keyA.publicKey);
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      },
      /^The token is not signed with an accepted algorithm/,
    ],
    [
      'HS256 with the JWK modulus as the secret',
      async () => {
        const input = `${b64({ alg: 'HS256', kid: 'key-a' })}.${b64(claims())}`;
        return `${input}.${createHmac('sha256', keyA.jwk.n as string).update(input).digest('base64url')}`;
      },
      /^The token is not signed with an accepted algorithm/,
    ],
    ['a header without alg', async () => `${b64({ kid: 'key-a' })}.${b64(claims())}.${b64('x')}`, /^The token is not signed with an accepted algorithm/],
    ['garbage', async () => 'not-a-token-at-all', /^The token is not a JWT$/],
    ['an empty string', async () => '', /^The token is not a JWT$/],
    ['three parts that are not JSON', async () => 'aGVsbG8.d29ybGQ.eHl6', /^The token is not a JWT$/],
    ['a header that is JSON but not an object', async () => `${b64('[1]')}.${b64(claims())}.${b64('x')}`, /^The token is not (a JWT|signed with an accepted algorithm.*)$/],
    ['a payload that is not JSON', async () => issuer.sign(keyA, claims()).then((t) => t.split('.').map((p, i) => (i === 1 ? b64('nope') : p)).join('.')), /^The token is not a valid JWT$|signature is not valid/],
    ['a token too long', async () => `${b64({ alg: 'RS256' })}.${'a'.repeat(20_000)}.x`, /^The token is not a JWT$/],
    ['a good token with one payload byte changed', async () => issuer.sign(keyA, claims()).then((t) => t.split('.').map((p, i) => (i === 1 ? b64(claims({ azp: 'admin-a' })) : p)).join('.')), /^The token's signature is not valid$/],
    ['a token signed by another key under a known kid', async () => issuer.sign(await signingKey('key-a'), claims()), /^The token's signature is not valid$/],
    ['a token whose kid is unknown', async () => issuer.sign(await signingKey('key-x'), claims()), /^The token is signed with a key the issuer does not publish$/],
    ['an RS256 key used with ES256 in the header', async () => issuer.sign(keyA, claims(), { alg: 'ES256' }).catch(() => `${b64({ alg: 'ES256', kid: 'key-a' })}.${b64(claims())}.${b64('sig')}`), /^The token is signed with a key the issuer does not publish$/],
  ])('should refuse %s', async (_case, make, description) => {
    const token = await make();
    expectRefused(await verifier.verify(token), token, description);
  });

  it.each<[string]>([['RS384'], ['PS256'], ['ES256'], ['ES384']])('should accept a token signed with %s', async (alg) => {
    const key = await signingKey(`key-${alg}`, alg);
    issuer.published = [keyA, key];
    expect((await verifier.verify(await issuer.sign(key, claims()))).principal?.roles).toEqual(['publisher']);
  });

  it('should accept a rotated key after fetching the keys again, and fetch at most once per 30 s for unknown kids', async () => {
    expect((await verifier.verify(await issuer.sign(keyA, claims()))).principal).toBeDefined();
    expect(issuer.requests.jwks).toBe(1);

    // The issuer rotates: key B is published from now on.
    const keyB = await signingKey('key-b');
    issuer.published = [keyA, keyB];
    now = T0 + 10;
    // Within 30 s of the last fetch an unknown kid does not fetch: B is not known yet.
    const early = await issuer.sign(keyB, claims());
    expectRefused(await verifier.verify(early), early, /does not publish/);
    expect(issuer.requests.jwks).toBe(1);

    now = T0 + 31;
    expect((await verifier.verify(await issuer.sign(keyB, claims()))).principal?.name).toBe('oidc:publisher-a');
    expect(issuer.requests.jwks).toBe(2);

    // A second unknown kid within 30 s of that fetch: refused without another fetch.
    now = T0 + 45;
    const stranger = await issuer.sign(await signingKey('key-c'), claims());
    expectRefused(await verifier.verify(stranger), stranger, /does not publish/);
    expectRefused(await verifier.verify(stranger), stranger, /does not publish/);
    expect(issuer.requests.jwks).toBe(2);

    // Both keys keep working meanwhile, without fetching.
    expect((await verifier.verify(await issuer.sign(keyA, claims()))).principal).toBeDefined();
    expect((await verifier.verify(await issuer.sign(keyB, claims()))).principal).toBeDefined();
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 2 });

    // 30 s after the last fetch an unknown kid may fetch again (and is still refused).
    now = T0 + 62;
    expectRefused(await verifier.verify(stranger), stranger, /does not publish/);
    expect(issuer.requests.jwks).toBe(3);
  });

  it('should remember a verified token for 60 s at most, and never past its exp and leeway', async () => {
    const looked: string[] = [];
    const remembering = new OidcVerifier({ issuer: issuer.issuer, audience: AUDIENCE, clock: () => now * 1000, entryOf: (azp) => void looked.push(azp) });
    const long = await issuer.sign(keyA, claims({ exp: T0 + 300 }));
    const short = await issuer.sign(keyA, claims({ exp: T0 + 10 }));
    for (const t of [long, long, short, short]) expect((await remembering.verify(t)).principal).toBeDefined();
    // Checked once each (the clients-file lookup is part of the check).
    expect(looked).toHaveLength(2);
    now = T0 + 59;
    expect((await remembering.verify(long)).principal).toBeDefined();
    expect((await remembering.verify(short)).principal).toBeDefined();
    expect(looked).toHaveLength(2);
    // The short one's exp + 60 s leeway has passed: checked again, and refused.
    now = T0 + 70;
    expectRefused(await remembering.verify(short), short, /^The token has expired$/);
    // The long one is checked again after 60 s.
    expect((await remembering.verify(long)).principal).toBeDefined();
    expect(looked).toHaveLength(3);
  });

  it('should refuse a key the issuer stopped publishing once the keys were refreshed (in the background, after 10 minutes)', async () => {
    const keyB = await signingKey('key-b');
    issuer.published = [keyA, keyB];
    expect((await verifier.verify(await issuer.sign(keyA, claims()))).principal).toBeDefined();
    issuer.published = [keyB];
    now = T0 + 601; // past the 10 minutes the keys are kept: they are fetched again in the background
    const old = await issuer.sign(keyA, claims());
    expect((await verifier.verify(old)).principal).toBeDefined();
    await pollUntil(async () => (issuer.requests.jwks === 2 ? true : undefined), 5000, 'the refresh');
    // Each try a new token: a verified one is remembered (60 s), which would hide the refresh.
    let tries = 0;
    const fresh = () => issuer.sign(keyA, claims({ jti: `try-${tries++}` }));
    await pollUntil(async () => ((await verifier.verify(await fresh())).failure ? true : undefined), 5000, 'the withdrawn key refused');
    const later = await fresh();
    expectRefused(await verifier.verify(later), later, /does not publish/);
    expect(issuer.requests.jwks).toBe(2);
  });
});
