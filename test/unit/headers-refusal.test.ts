import { headersRefusal, MAX_HEADERS, reservedHeaderReason } from '../../src/credentials/headers-refusal';

describe('reservedHeaderReason', () => {
  it.each<[string, boolean, string | undefined]>([
    ['Content-Type', false, 'the hub sets it for the notification it sends'],
    ['content-length', false, 'the hub sets it for the notification it sends'],
    ['HOST', false, "it is the callback URL's host"],
    ['Connection', false, 'it belongs to the connection, not the notification'],
    ['Transfer-Encoding', false, 'it belongs to the connection, not the notification'],
    ['webhook-signature', false, "the webhook-* headers are the hub's (Standard Webhooks)"],
    ['Webhook-Id', false, "the webhook-* headers are the hub's (Standard Webhooks)"],
    ['ce-type', false, "the ce-* headers are the hub's (CloudEvents binary mode)"],
    ['traceparent', false, 'the hub sends the trace context of each attempt'],
    ['TraceState', false, 'the hub sends the trace context of each attempt'],
    ['Authorization', true, 'auth sets it: give the credential in auth, or drop auth'],
    ['Authorization', false, undefined],
    ['X-Partner-Id', true, undefined],
    ['User-Agent', false, undefined],
    ['cement', false, undefined],
  ])('%s (auth set: %s)', (name, withAuth, reason) => {
    expect(reservedHeaderReason(name, withAuth)).toBe(reason);
  });
});

describe('headersRefusal', () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-H${i}`, 'v']));

  it.each<[string, unknown]>([
    ['none', {}],
    ['a partner id', { 'X-Partner-Id': 'acme' }],
    ['inner spaces and tabs', { 'X-Route': 'eu west\t1' }],
    ['an empty value', { 'X-Empty': '' }],
    ['Authorization without auth', { Authorization: 'Custom scheme' }],
    [`${MAX_HEADERS} headers`, many(MAX_HEADERS)],
  ])('should take %s', (_case, value) => {
    expect(headersRefusal(value, false)).toBeUndefined();
  });

  it.each<[string, unknown, boolean, string]>([
    ['not an object', 'X-A: 1', false, 'headers: must be an object of header names to string values'],
    ['an array', [['X-A', '1']], false, 'headers: must be an object of header names to string values'],
    ['too many', many(MAX_HEADERS + 1), false, `headers: at most ${MAX_HEADERS} headers, not ${MAX_HEADERS + 1}`],
    ['a name with a space', { 'X A': '1' }, false, "headers: \"X A\" is not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)"],
    ['a name with a colon', { 'X-A:': '1' }, false, "headers: \"X-A:\" is not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)"],
    ['a reserved name', { 'Content-Type': 'text/plain' }, false, 'headers.Content-Type: may not be set: the hub sets it for the notification it sends'],
    ['webhook-*', { 'Webhook-Signature': 'v1,x' }, false, "headers.Webhook-Signature: may not be set: the webhook-* headers are the hub's (Standard Webhooks)"],
    ['authorization with auth', { authorization: 'Bearer x' }, true, 'headers.authorization: may not be set: auth sets it: give the credential in auth, or drop auth'],
    ['a name twice', { 'X-A': '1', 'x-a': '2' }, false, 'headers.x-a: given twice (header names are case-insensitive)'],
    ['a value that is not a string', { 'X-A': 1 }, false, 'headers.X-A: the value must be a string'],
    ['a value too long', { 'X-A': 'v'.repeat(4097) }, false, 'headers.X-A: the value is longer than 4096 characters'],
    ['a line break (header injection)', { 'X-A': 'v\r\nX-Injected: 1' }, false, 'headers.X-A: the value may hold only visible characters and inner spaces (no control character, no line break)'],
    ['a leading space', { 'X-A': ' v' }, false, 'headers.X-A: the value may hold only visible characters and inner spaces (no control character, no line break)'],
  ])('should refuse %s, naming the header and never the value', (_case, value, withAuth, reason) => {
    expect(headersRefusal(value, withAuth)).toBe(reason);
  });
});
