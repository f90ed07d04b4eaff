import { isLoopbackHost, openAccessWarning } from '../../src/access/open-access-warning';

describe('isLoopbackHost', () => {
  it.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['hub.localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['', false],
    ['10.0.0.5', false],
    ['hub.example.com', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
  ])('should call %j loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('openAccessWarning', () => {
  it.each<[string, string, boolean, boolean]>([
    ['an open hub on every interface', '0.0.0.0', true, true],
    ['an open hub on a LAN address', '10.0.0.5', true, true],
    ['an open hub on loopback (the local mock)', '127.0.0.1', true, false],
    ['a hub with access control on every interface', '0.0.0.0', false, false],
  ])('should warn for %s: %s', (_case, host, open, warns) => {
    const warning = openAccessWarning(host, open);
    expect(warning !== undefined).toBe(warns);
    if (warning) expect(warning).toMatch(/HUB_CLIENTS_FILE, HUB_API_KEYS, HUB_OIDC_ISSUER and HUB_TLS_CLIENT_CA/);
  });
});
