import { readAnySource, sourceBroker, type EventSources } from '../../src/hub/event-source';
import { pollIntervalMs, readPollSource, type ReadPollSource } from '../../src/poll/poll-source';

const URL_ = 'https://orders.example/tmf-api/productOrderingManagement/v4/productOrder';
const oauth2 = { type: 'oauth2' as const, tokenUrl: 'https://sso.example/token', clientId: 'hub', clientSecret: 's3cret' };

describe('readPollSource', () => {
  it.each<[string, Record<string, unknown>, ReadPollSource]>([
    ['the least: interval 1m, no initial events', { poll: URL_ }, { source: { poll: URL_, interval: '1m', emitInitial: false } }],
    [
      'everything but auth',
      { poll: URL_, interval: '10s', resourceType: 'ProductOrder', emitInitial: true },
      { source: { poll: URL_, interval: '10s', resourceType: 'ProductOrder', emitInitial: true } },
    ],
    ['an interval written in ms, kept as the hub writes it', { poll: URL_, interval: '90000' }, { source: { poll: URL_, interval: '90s', emitInitial: false } }],
    ['the shortest interval', { poll: 'http://127.0.0.1:8080/list', interval: '1s' }, { source: { poll: 'http://127.0.0.1:8080/list', interval: '1s', emitInitial: false } }],
    ['the longest interval', { poll: URL_, interval: '24h' }, { source: { poll: URL_, interval: '1d', emitInitial: false } }],
    ['a bearer token, shown without it', { poll: URL_, auth: { type: 'bearer', token: 't0ken' } }, { source: { poll: URL_, interval: '1m', emitInitial: false, auth: { type: 'bearer' } }, auth: { type: 'bearer', token: 't0ken' } }],
    [
      'OAuth2 client credentials, shown without the secret',
      { poll: URL_, auth: { ...oauth2, scope: 'orders.read' } },
      { source: { poll: URL_, interval: '1m', emitInitial: false, auth: { type: 'oauth2', tokenUrl: oauth2.tokenUrl, clientId: 'hub', scope: 'orders.read' } }, auth: { ...oauth2, scope: 'orders.read' } },
    ],
  ])('should take %s', (_case, value, read) => {
    expect(readPollSource(value)).toEqual(read);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no URL', { interval: '10s' }, 'source.poll: must be the http or https URL of a TMF list or resource'],
    ['a URL that is not a string', { poll: 42 }, 'source.poll: must be the http or https URL of a TMF list or resource'],
    ['a relative URL', { poll: '/productOrder' }, 'source.poll: is not an absolute URL'],
    ['another scheme', { poll: 'ftp://orders.example/list' }, 'source.poll: must be an http or https URL'],
    ['user information in the URL', { poll: 'https://u:p@orders.example/list' }, 'source.poll: must not carry user information: send credentials as source.auth (write-only)'],
    ['a URL too long', { poll: `https://orders.example/${'x'.repeat(2048)}` }, 'source.poll: is longer than 2048 characters'],
    ['an interval below 1s', { poll: URL_, interval: '500ms' }, 'source.interval: must be from 1s to 24h, got "500ms"'],
    ['an interval above 24h', { poll: URL_, interval: '2d' }, 'source.interval: must be from 1s to 24h, got "2d"'],
    ['an interval that is no duration', { poll: URL_, interval: 'often' }, 'source.interval: must be a duration such as 10s, 5m or 1h, got "often"'],
    ['a numeric interval', { poll: URL_, interval: 10 }, 'source.interval: must be a duration such as 10s, 5m or 1h, got 10'],
    ['a lower-case resourceType', { poll: URL_, resourceType: 'productOrder' }, 'source.resourceType: must be a TMF resource type such as ProductOrder (a letter, then letters and digits, capitalised)'],
    ['a resourceType with a space', { poll: URL_, resourceType: 'Product Order' }, 'source.resourceType: must be a TMF resource type such as ProductOrder (a letter, then letters and digits, capitalised)'],
    ['an emitInitial that is not a boolean', { poll: URL_, emitInitial: 'yes' }, 'source.emitInitial: must be true or false'],
    ['lastPollAt sent', { poll: URL_, lastPollAt: '2026-01-01T00:00:00Z' }, 'source.lastPollAt: the hub records it; a client never sends it'],
    ['lastError sent', { poll: URL_, lastError: 'none' }, 'source.lastError: the hub records it; a client never sends it'],
    ['a format', { poll: URL_, format: 'tmf' }, 'source.format: not an attribute of a poll source: {"poll": "<http(s) URL>", "interval": "10s", "resourceType": "ProductOrder", "emitInitial": false, "auth": {...}}'],
    ['an auth of an unknown type', { poll: URL_, auth: { type: 'digest' } }, 'source.auth.type: must be bearer, basic or oauth2'],
    ['an OAuth2 auth without its secret', { poll: URL_, auth: { ...oauth2, clientSecret: undefined } }, 'source.auth.clientSecret: is required: a non-empty string'],
  ])('should refuse %s, naming the attribute', (_case, value, reason) => {
    expect(readPollSource(value)).toBe(reason);
  });

  it('should count a URL\'s length in characters (code points), as the contract\'s maxLength does, not in UTF-16 units', () => {
    const base = 'https://orders.example/';
    const at = (n: number) => `${base}${'\u{1F4E6}'.repeat(n - base.length)}`;
    expect(readPollSource({ poll: at(2048) })).toMatchObject({ source: { poll: at(2048) } });
    expect(readPollSource({ poll: at(2049) })).toBe('source.poll: is longer than 2048 characters');
  });

  it('should never quote a secret in a refusal', () => {
    const refused = readPollSource({ poll: URL_, auth: { type: 'bearer', token: 'has space-secret' } });
    expect(refused).toBe('source.auth.token: may hold only visible ASCII characters, no space');
  });

  it.each<[string, number]>([
    ['10s', 10_000],
    ['1d', 86_400_000],
  ])('should read the stored interval %s', (interval, ms) => {
    expect(pollIntervalMs({ interval })).toBe(ms);
  });
});

describe('readAnySource and sourceBroker', () => {
  const sources: EventSources = new Map([['kafka', { topicRefusal: () => undefined, changed: () => undefined }]]);

  it.each<[string, unknown, unknown]>([
    ['a poll source, its auth kept apart', { poll: URL_, auth: { type: 'bearer', token: 't' } }, { source: { poll: URL_, interval: '1m', emitInitial: false, auth: { type: 'bearer' } }, auth: { type: 'bearer', token: 't' } }],
    ['a refused poll source', { poll: URL_, format: 'tmf' }, expect.stringMatching(/^source.format: not an attribute of a poll source/)],
    ['a broker source', { kafka: 'network.alarms' }, { source: { kafka: 'network.alarms', format: 'tmf' } }],
    ['neither, naming both ways', { format: 'tmf' }, expect.stringMatching(/^source must name the broker it reads from, .*; or poll an HTTP API: \{"poll"/)],
  ])('should read %s', (_case, value, expected) => {
    expect(readAnySource(value, sources)).toEqual(expected);
  });

  it.each<[unknown, string | undefined]>([
    [{ poll: URL_, interval: '1m' }, 'poll'],
    [{ kafka: 'a', format: 'tmf' }, 'kafka'],
    [undefined, undefined],
    [{ format: 'tmf' }, undefined],
  ])('should name what %j reads from', (source, broker) => {
    expect(sourceBroker(source)).toBe(broker);
  });
});
