import { TmfError } from '../../src/errors';
import { hubOrigin, listeningBaseUrl, type Reached } from '../../src/http/hub-base-url';

const listening = (host: string, port = 8080): Reached => ({ listening: { host, port } });
const request = (protocol: string, host?: string, socket?: { localAddress?: string; localPort?: number }): Reached => ({ request: { protocol, host, socket } });

/** What every href is built as: the origin, an API root, a resource path. */
const PATH = '/tmf-api/event/v4/topic/t-1';

describe('hubOrigin: one rule for the hub’s own base URL', () => {
  it.each<[string, string | undefined, Reached, string]>([
    // No request (events read from a topic source): HOST and PORT.
    ['HOST=::1', undefined, listening('::1'), 'http://[::1]:8080'],
    ['HOST=:: (every interface)', undefined, listening('::'), 'http://localhost:8080'],
    ['HOST=0:0:0:0:0:0:0:0', undefined, listening('0:0:0:0:0:0:0:0'), 'http://localhost:8080'],
    ['HOST=0.0.0.0', undefined, listening('0.0.0.0'), 'http://localhost:8080'],
    ['HOST empty', undefined, listening(''), 'http://localhost:8080'],
    ['HOST=127.0.0.1', undefined, listening('127.0.0.1', 3000), 'http://127.0.0.1:3000'],
    ['HOST=fe80::1', undefined, listening('fe80::1'), 'http://[fe80::1]:8080'],
    ['HOST=fe80::1%eth0 (a zone no URL can carry)', undefined, listening('fe80::1%eth0'), 'http://[fe80::1]:8080'],
    ['HOST=::ffff:10.0.0.1', undefined, listening('::ffff:10.0.0.1'), 'http://[::ffff:10.0.0.1]:8080'],
    ['HOST a host name', undefined, listening('hub.internal'), 'http://hub.internal:8080'],
    // HUB_PUBLIC_URL wins over everything, normalised.
    ['PUBLIC_URL', 'https://hub.example.com', listening('::1'), 'https://hub.example.com'],
    ['PUBLIC_URL with a trailing slash', 'https://hub.example.com/', request('http', '10.0.0.1:8080'), 'https://hub.example.com'],
    ['PUBLIC_URL with a path prefix', 'https://example.com/events/', listening('0.0.0.0'), 'https://example.com/events'],
    ['PUBLIC_URL with a path prefix, no slash', 'https://example.com/a/b', listening('0.0.0.0'), 'https://example.com/a/b'],
    ['PUBLIC_URL with a port', 'http://hub.example.com:8443//', listening('0.0.0.0'), 'http://hub.example.com:8443'],
    ['PUBLIC_URL with user info (never returned)', 'https://user:secret@hub.example.com/x', listening('0.0.0.0'), 'https://hub.example.com/x'],
    ['PUBLIC_URL with a query', 'https://hub.example.com/x?a=1#f', listening('0.0.0.0'), 'https://hub.example.com/x'],
    ['PUBLIC_URL, an IPv6 literal', 'http://[::1]:9000', listening('0.0.0.0'), 'http://[::1]:9000'],
    // A request: its protocol and Host header, as given.
    ['a request', undefined, request('http', 'hub.example.com:8080'), 'http://hub.example.com:8080'],
    ['a request over TLS', undefined, request('https', 'hub.example.com'), 'https://hub.example.com'],
    ['a request to [::1]', undefined, request('http', '[::1]:8080'), 'http://[::1]:8080'],
    ['a request with an empty port', undefined, request('http', 'hub:'), 'http://hub:'],
    ['a request without Host, on IPv6', undefined, request('http', undefined, { localAddress: '::1', localPort: 8080 }), 'http://[::1]:8080'],
    ['a request without Host, on IPv4', undefined, request('http', '', { localAddress: '127.0.0.1', localPort: 81 }), 'http://127.0.0.1:81'],
    ['a request without Host or socket', undefined, request('http'), 'http://localhost'],
  ])('should give %s a valid base', (_case, publicUrl, reached, expected) => {
    const origin = hubOrigin(publicUrl, reached);
    expect(origin).toBe(expected);
    expect(new URL(`${origin}${PATH}`).pathname).toMatch(new RegExp(`${PATH}$`));
  });

  it.each([
    ['an unbracketed IPv6 address', '::1:8080'],
    ['a space', 'a b'],
    ['a path', 'evil.example/x'],
    ['user info', 'user@evil.example'],
    ['a query', 'hub?x'],
    ['a port past 65535', 'hub:65536'],
    ['a port that is not a number', 'hub:http'],
    ['an IPv4 address out of range', '999.1.1.1'],
    ['a bracketed non-address', '[1:2]'],
    ['a malformed percent-encoding', 'hub%zz'],
  ])('should refuse a Host header with %s (%s) with a 400', (_case, host) => {
    let thrown: unknown;
    try {
      hubOrigin(undefined, request('http', host));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TmfError);
    expect(thrown).toMatchObject({ status: 400, code: 'BadRequest', reason: 'Invalid Host' });
  });

  it('should not look at the Host header when HUB_PUBLIC_URL is set', () => {
    expect(hubOrigin('https://hub.example.com', request('http', 'a b'))).toBe('https://hub.example.com');
  });
});

describe('listeningBaseUrl: the base of hrefs no request asked for', () => {
  it.each<[string, { publicUrl?: string; host: string; port: number }, string]>([
    ['HOST=::1', { host: '::1', port: 8080 }, 'http://[::1]:8080/tmf-api/event/v4'],
    ['HOST=0.0.0.0', { host: '0.0.0.0', port: 8080 }, 'http://localhost:8080/tmf-api/event/v4'],
    ['HUB_PUBLIC_URL with a prefix', { publicUrl: 'https://example.com/hub/', host: '::1', port: 8080 }, 'https://example.com/hub/tmf-api/event/v4'],
  ])('should build it for %s', (_case, config, expected) => {
    expect(listeningBaseUrl(config)).toBe(expected);
  });
});
