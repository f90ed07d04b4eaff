import { authRefusal } from '../../src/credentials/auth-refusal';

const oauth2 = { type: 'oauth2', tokenUrl: 'https://sso.example/token', clientId: 'hub', clientSecret: 's3cret' };

describe('authRefusal', () => {
  it.each<[string, unknown]>([
    ['bearer', { type: 'bearer', token: 'abc.DEF-123_~+/=' }],
    ['basic', { type: 'basic', username: 'csp hub', password: 'p@ss word' }],
    ['oauth2 with the least', oauth2],
    ['oauth2 with everything', { ...oauth2, scope: 'orders.write orders.read', audience: 'partner-api', clientAuth: 'body' }],
    ['oauth2 over http', { ...oauth2, tokenUrl: 'http://127.0.0.1:8080/token', clientAuth: 'basic' }],
    // 256 characters as the contract's maxLength counts them (code points), 512 UTF-16 units.
    ['basic with a username of 256 astral characters', { type: 'basic', username: '\u{1F4E6}'.repeat(256), password: 'p' }],
  ])('should take %s', (_case, value) => {
    expect(authRefusal(value)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'bearer', 'auth: must be an object with a type: bearer, basic or oauth2'],
    ['an array', [], 'auth: must be an object with a type: bearer, basic or oauth2'],
    ['null', null, 'auth: must be an object with a type: bearer, basic or oauth2'],
    ['an unknown type', { type: 'digest' }, 'auth.type: must be bearer, basic or oauth2'],
    ['an attribute of another type', { type: 'bearer', token: 't', password: 'p' }, 'auth.password: not an attribute of bearer auth (it takes token)'],
    ['a bearer without a token', { type: 'bearer' }, 'auth.token: is required: a non-empty string'],
    ['an empty token', { type: 'bearer', token: '' }, 'auth.token: is required: a non-empty string'],
    ['a token with a space', { type: 'bearer', token: 'two words' }, 'auth.token: may hold only visible ASCII characters, no space'],
    ['a token too long', { type: 'bearer', token: 'x'.repeat(4097) }, 'auth.token: is longer than 4096 characters'],
    ['a username with a colon', { type: 'basic', username: 'a:b', password: 'p' }, 'auth.username: may not contain ":" (RFC 7617)'],
    ['a password with a line break', { type: 'basic', username: 'u', password: 'p\nq' }, 'auth.password: may hold only printable characters'],
    ['a basic without a password', { type: 'basic', username: 'u' }, 'auth.password: is required: a non-empty string'],
    ['a token URL that is not one', { ...oauth2, tokenUrl: 'sso/token' }, 'auth.tokenUrl: is not an absolute URL'],
    ['a token URL of another scheme', { ...oauth2, tokenUrl: 'ftp://sso.example/token' }, 'auth.tokenUrl: must be an http or https URL'],
    ['a token URL with user information', { ...oauth2, tokenUrl: 'https://u:p@sso.example/token' }, 'auth.tokenUrl: must not carry user information (the client authenticates with clientId and clientSecret)'],
    ['an oauth2 without a client id', { ...oauth2, clientId: undefined }, 'auth.clientId: is required: a non-empty string'],
    ['a scope with two spaces', { ...oauth2, scope: 'a  b' }, 'auth.scope: may hold only scope tokens separated by single spaces (RFC 6749 section 3.3)'],
    ['a scope with a quote', { ...oauth2, scope: 'a"b' }, 'auth.scope: may hold only scope tokens separated by single spaces (RFC 6749 section 3.3)'],
    ['an audience that is not a string', { ...oauth2, audience: 42 }, 'auth.audience: is required: a non-empty string'],
    ['another client authentication', { ...oauth2, clientAuth: 'private_key_jwt' }, 'auth.clientAuth: must be "basic" or "body"'],
  ])('should refuse %s, naming the attribute', (_case, value, reason) => {
    expect(authRefusal(value)).toBe(reason);
  });

  it('should never quote a secret in its reason', () => {
    const secret = 'secret with\u0001control';
    for (const value of [{ type: 'bearer', token: secret }, { type: 'basic', username: 'u', password: secret }, { ...oauth2, clientSecret: secret }]) {
      expect(authRefusal(value)).not.toContain('secret with');
    }
  });
});
