import { staticAuthorization, withCredentialHeaders } from '../../src/delivery/credential-headers';

describe('staticAuthorization', () => {
  it.each<[string, Parameters<typeof staticAuthorization>[0], string | undefined]>([
    ['bearer', { type: 'bearer', token: 'tok-1' }, 'Bearer tok-1'],
    ['basic (RFC 7617, UTF-8)', { type: 'basic', username: 'hub', password: 'pä:ss' }, `Basic ${Buffer.from('hub:pä:ss', 'utf8').toString('base64')}`],
    ['oauth2 (a token is fetched instead)', { type: 'oauth2', tokenUrl: 'https://sso/token', clientId: 'c', clientSecret: 's' }, undefined],
    ['none', undefined, undefined],
  ])('%s', (_case, auth, expected) => {
    expect(staticAuthorization(auth)).toBe(expected);
  });
});

describe('withCredentialHeaders', () => {
  const base = { 'content-type': 'application/json', 'user-agent': 'tmf688-hub', 'webhook-id': 'msg_1' };

  it.each<[string, Record<string, string> | undefined, string | undefined, Record<string, string>]>([
    ['nothing to add', undefined, undefined, base],
    ['a header as configured', { 'X-Partner-Id': 'acme' }, undefined, { ...base, 'X-Partner-Id': 'acme' }],
    ['a header replacing the hub\'s under another case', { 'User-Agent': 'partner/2' }, undefined, { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'User-Agent': 'partner/2' }],
    ['an Authorization', undefined, 'Bearer t', { ...base, authorization: 'Bearer t' }],
    ['both', { 'X-A': '1' }, 'Basic x', { ...base, 'X-A': '1', authorization: 'Basic x' }],
  ])('%s', (_case, headers, authorization, expected) => {
    expect(withCredentialHeaders(base, headers, authorization)).toEqual(expected);
  });

  it('should leave the attempt\'s headers as they were', () => {
    const before = { ...base };
    withCredentialHeaders(base, { 'User-Agent': 'x' }, 'Bearer t');
    expect(base).toEqual(before);
  });
});
