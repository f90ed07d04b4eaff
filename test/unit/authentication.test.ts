import type { AuthenticationRefusal } from '../../src/access/authenticator';
import type { TokenFailure } from '../../src/access/bearer-challenge';
import { authenticationError, bearerOf, ISSUER_RETRY_AFTER_SECONDS, peerOf } from '../../src/http/authentication';

describe('authenticationError', () => {
  // Every kind a refusal can have: TokenFailure's two (the verifier's) and the authenticator's missing.
  const KINDS: Record<AuthenticationRefusal['kind'], true> = { missing: true, invalid: true, unavailable: true };

  it.each<[AuthenticationRefusal, number, Record<string, string>]>([
    [{ kind: 'missing', description: 'A credential is required' }, 401, { 'WWW-Authenticate': 'Bearer realm="tmf688-hub"' }],
    [
      { kind: 'invalid', description: 'The token has expired' },
      401,
      { 'WWW-Authenticate': 'Bearer realm="tmf688-hub", error="invalid_token", error_description="The token has expired"' },
    ],
    [{ kind: 'unavailable', description: "The issuer's keys could not be fetched" }, 503, { 'Retry-After': String(ISSUER_RETRY_AFTER_SECONDS) }],
  ])('should answer %j with %i and its headers', (refusal, status, headers) => {
    const err = authenticationError(refusal);
    expect({ status: err.status, headers: err.headers, message: err.message }).toEqual({ status, headers, message: refusal.description });
    expect(err.code).toBe(status === 401 ? 'Unauthorized' : 'ServiceUnavailable');
  });

  it('should map every kind of verifier failure (a 401 for a bad token, a 503 for an issuer away)', () => {
    const verifierKinds: TokenFailure['kind'][] = ['invalid', 'unavailable'];
    expect(Object.keys(KINDS).sort()).toEqual(['missing', ...verifierKinds].sort());
    expect(verifierKinds.map((kind) => authenticationError({ kind, description: 'x' }).status)).toEqual([401, 503]);
  });
});

describe('bearerOf', () => {
  it.each<[string | undefined, string | undefined]>([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer a.b.c', 'a.b.c'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Basic abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('should read %j as %j', (header, bearer) => {
    expect(bearerOf(header)).toBe(bearer);
  });
});

describe('peerOf', () => {
  it('should see a peer only in a TLS socket', () => {
    const tls = { encrypted: true, authorized: false, getPeerCertificate: () => ({}) };
    expect(peerOf(tls)).toBe(tls);
    expect(peerOf({ remoteAddress: '127.0.0.1' })).toBeUndefined();
    expect(peerOf(undefined)).toBeUndefined();
  });
});
