import type { OAuth2Auth } from '../../src/credentials/listener-credentials';
import { tokenAnswer, tokenRequest } from '../../src/delivery/token-request';

const AUTH: OAuth2Auth = { type: 'oauth2', tokenUrl: 'https://sso.example/token', clientId: 'hub client', clientSecret: 'p&ss:wörd' };

describe('tokenRequest', () => {
  it('should authenticate by HTTP Basic, id and secret form-encoded first (RFC 6749 section 2.3.1)', () => {
    const { headers, body } = tokenRequest({ ...AUTH, scope: 'orders.write orders.read', audience: 'partner-api' });
    expect(headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': 'tmf688-hub',
      authorization: `Basic ${Buffer.from('hub+client:p%26ss%3Aw%C3%B6rd').toString('base64')}`,
    });
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({ grant_type: 'client_credentials', scope: 'orders.write orders.read', audience: 'partner-api' });
  });

  it('should put id and secret in the body with clientAuth "body", and no Authorization', () => {
    const { headers, body } = tokenRequest({ ...AUTH, clientAuth: 'body' });
    expect(headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({ grant_type: 'client_credentials', client_id: 'hub client', client_secret: 'p&ss:wörd' });
  });
});

describe('tokenAnswer', () => {
  const ok = (body: unknown, status = 200) => ({ status, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it.each<[string, Parameters<typeof tokenAnswer>[0], unknown]>([
    ['a token with expires_in', ok({ access_token: 'abc', token_type: 'Bearer', expires_in: 300 }), { token: 'abc', lifetimeMs: 300_000 }],
    ['expires_in as a string', ok({ access_token: 'abc', token_type: 'bearer', expires_in: '60' }), { token: 'abc', lifetimeMs: 60_000 }],
    ['no expires_in', ok({ access_token: 'abc' }), { token: 'abc' }],
    ['a negative expires_in', ok({ access_token: 'abc', expires_in: -1 }), { token: 'abc' }],
    ['no answer', { error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9' }, { error: 'no OAuth2 token: the token endpoint could not be reached (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)' }],
    ['an OAuth2 error', ok({ error: 'invalid_client' }, 401), { error: 'no OAuth2 token: the token endpoint answered 401 (invalid_client)' }],
    ['an error that is not an error code (never echoed)', ok({ error: 'bad secret p&ss:wörd' }, 400), { error: 'no OAuth2 token: the token endpoint answered 400' }],
    ['a failure that is not JSON', ok('<html>down</html>', 503), { error: 'no OAuth2 token: the token endpoint answered 503' }],
    ['a success that is not JSON', ok('<html>login</html>'), { error: "no OAuth2 token: the token endpoint's answer is not a JSON object" }],
    ['a JSON array', ok([]), { error: "no OAuth2 token: the token endpoint's answer is not a JSON object" }],
    ['no access_token', ok({ token_type: 'Bearer' }), { error: "no OAuth2 token: the token endpoint's answer has no usable access_token" }],
    ['an access_token with a space', ok({ access_token: 'a b' }), { error: "no OAuth2 token: the token endpoint's answer has no usable access_token" }],
    ['another token type', ok({ access_token: 'abc', token_type: 'DPoP' }), { error: 'no OAuth2 token: token_type "DPoP" is not supported (bearer only)' }],
    ['a token type that is not a word', ok({ access_token: 'abc', token_type: 'x y' }), { error: 'no OAuth2 token: token_type is not supported (bearer only)' }],
  ])('%s', (_case, answer, expected) => {
    expect(tokenAnswer(answer)).toEqual(expected);
  });
});
