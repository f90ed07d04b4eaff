import { createServer } from 'node:net';
import { OidcVerifier } from '../../src/access/oidc-verifier';
import { pollUntil } from '../helpers/poll';
import { signingKey, TestIssuer, type SigningKey } from '../helpers/test-issuer';

const AUDIENCE = 'tmf688-hub';
const T0 = Date.UTC(2026, 0, 1, 12);
const UNAVAILABLE = { kind: 'unavailable', description: "The token issuer's keys could not be fetched; try again shortly" };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('OidcVerifier fetching discovery and keys', () => {
  let issuer: TestIssuer;
  let key: SigningKey;
  let now: number;
  let problems: string[];
  const verifierFor = (issuerUrl: string, timeoutMs = 5000) =>
    new OidcVerifier({ issuer: issuerUrl, audience: AUDIENCE, clock: () => now, onProblem: (m) => problems.push(m), fetchLimits: { timeoutMs, maxBytes: 64 * 1024 } });
  const token = () => issuer.sign(key, { iss: issuer.issuer, aud: AUDIENCE, azp: 'c', exp: Math.floor(now / 1000) + 300 });

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    key = await signingKey('k1');
  });
  afterAll(() => issuer.close());
  beforeEach(() => {
    issuer.reset([key]);
    now = T0;
    problems = [];
  });

  it.each<[string, () => void, RegExp]>([
    ['a discovery document naming another issuer', () => (issuer.discoveryAnswer = { body: JSON.stringify({ issuer: 'http://elsewhere', jwks_uri: 'http://x' }) }), /names the issuer "http:\/\/elsewhere", not "http:\/\/127\.0\.0\.1:\d+\/realms\/test" \(HUB_OIDC_ISSUER must be the issuer exactly\)/],
    ['a discovery document without jwks_uri', () => (issuer.discoveryAnswer = { body: JSON.stringify({ issuer: issuer.issuer }) }), /openid-configuration has no jwks_uri/],
    ['a discovery 404', () => (issuer.discoveryAnswer = { status: 404, body: '{}' }), /openid-configuration answered HTTP 404/],
    ['a discovery answer that is not JSON', () => (issuer.discoveryAnswer = { body: '<html>' }), /openid-configuration answered something that is not JSON/],
    ['a discovery answer that is JSON but no object', () => (issuer.discoveryAnswer = { body: '[]' }), /openid-configuration is not a discovery document/],
    ['a JWKS 500', () => (issuer.jwksAnswer = { status: 500, body: 'oops' }), /certs answered HTTP 500/],
    ['a JWKS that is no key set', () => (issuer.jwksAnswer = { body: JSON.stringify({ keys: 'none' }) }), /the JWKS is not a JSON Web Key Set/],
    ['a JWKS larger than the limit', () => (issuer.jwksAnswer = { body: JSON.stringify({ keys: [], pad: 'x'.repeat(70 * 1024) }) }), /certs failed: the answer is larger than 65536 bytes/],
  ])('should report %s and refuse as unavailable, without throwing', async (_case, breakIt, problem) => {
    breakIt();
    const verifier = verifierFor(issuer.issuer);
    expect(await verifier.verify(await token())).toEqual({ failure: UNAVAILABLE });
    expect(problems).toEqual([expect.stringMatching(problem)]);
    expect(problems[0]).toMatch(/^The issuer's keys could not be fetched: /);
  });

  it('should report an issuer that does not answer in time', async () => {
    issuer.discoveryAnswer = { hang: true };
    const verifier = verifierFor(issuer.issuer, 300);
    expect(await verifier.verify(await token())).toEqual({ failure: UNAVAILABLE });
    expect(problems).toEqual([expect.stringMatching(/openid-configuration failed: no answer in 300 ms/)]);
  });

  it('should report an issuer nobody listens on', async () => {
    const verifier = verifierFor(`http://127.0.0.1:${await closedPort()}/realms/x`);
    expect(await verifier.warm()).toEqual(UNAVAILABLE);
    expect(problems).toEqual([expect.stringMatching(/failed: ECONNREFUSED/)]);
  });

  it('should warm up: discovery and keys fetched before the first token', async () => {
    const verifier = verifierFor(issuer.issuer);
    expect(await verifier.warm()).toBeUndefined();
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 1 });
    expect((await verifier.verify(await token())).principal).toBeDefined();
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('should not fetch again for 5 s after a failure, then recover', async () => {
    issuer.jwksAnswer = { status: 503, body: '' };
    const verifier = verifierFor(issuer.issuer);
    expect((await verifier.verify(await token())).failure).toEqual(UNAVAILABLE);
    issuer.jwksAnswer = undefined;
    now = T0 + 4999;
    expect((await verifier.verify(await token())).failure).toEqual(UNAVAILABLE);
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 1 });
    now = T0 + 5000;
    expect((await verifier.verify(await token())).principal).toBeDefined();
    // Discovery succeeded the first time: only the keys were fetched again.
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 2 });
    expect(problems).toHaveLength(1);
  });

  it('should refresh old keys in the background, and keep using them when that fails', async () => {
    const verifier = verifierFor(issuer.issuer);
    expect((await verifier.verify(await token())).principal).toBeDefined();
    issuer.jwksAnswer = { status: 502, body: '' };
    now = T0 + 600_000;
    expect((await verifier.verify(await token())).principal).toBeDefined();
    await pollUntil(async () => problems[0], 5000, 'the failed refresh');
    expect(issuer.requests.jwks).toBe(2);
    expect(problems).toEqual([expect.stringMatching(/certs answered HTTP 502/)]);
    // Not again within 5 s of that failure.
    now += 1000;
    expect((await verifier.verify(await token())).principal).toBeDefined();
    expect(issuer.requests.jwks).toBe(2);
  });

  it('should not hold a request while old keys are refreshed', async () => {
    // A request that waited for this refresh would wait a minute: past the test's timeout.
    const patient = verifierFor(issuer.issuer, 60_000);
    expect((await patient.verify(await token())).principal).toBeDefined();
    issuer.jwksAnswer = { hang: true };
    now = T0 + 600_000;
    expect((await patient.verify(await token())).principal).toBeDefined();
    await pollUntil(async () => (issuer.requests.jwks === 2 ? true : undefined), 5000, 'the refresh request');
    expect((await patient.verify(await token())).principal).toBeDefined();
  });

  it('should share one fetch among tokens arriving together', async () => {
    const verifier = verifierFor(issuer.issuer);
    const tokens = await Promise.all(Array.from({ length: 10 }, token));
    const results = await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(results.every((r) => r.principal)).toBe(true);
    expect(issuer.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('should let tokens with a new kid arriving together share the one fetch after the cooldown', async () => {
    const verifier = verifierFor(issuer.issuer);
    expect((await verifier.verify(await token())).principal).toBeDefined();
    const rotated = await signingKey('k2');
    issuer.published = [key, rotated];
    now = T0 + 30_000;
    const tokens = await Promise.all(Array.from({ length: 5 }, () => issuer.sign(rotated, { iss: issuer.issuer, aud: AUDIENCE, azp: 'c', exp: now / 1000 + 300 })));
    const results = await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(results.map((r) => r.failure)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(issuer.requests.jwks).toBe(2);
  });
});
