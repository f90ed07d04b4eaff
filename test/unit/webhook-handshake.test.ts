import { handshakeVerdict, runHandshake, type HandshakeAnswer } from '../../src/hub/webhook-handshake';

const ORIGIN = 'hub.example.com';
const answer = (status: number | undefined, headers: Record<string, string> = {}, extra: Partial<HandshakeAnswer> = {}): HandshakeAnswer => ({ status, headers, ...extra });

describe('handshakeVerdict (CloudEvents webhook validation)', () => {
  it.each<[string, HandshakeAnswer, ReturnType<typeof handshakeVerdict>]>([
    ['the origin allowed', answer(200, { 'webhook-allowed-origin': ORIGIN }), { consent: true }],
    ['the origin allowed, in another case', answer(200, { 'webhook-allowed-origin': 'Hub.Example.COM' }), { consent: true }],
    ['any origin allowed', answer(204, { 'webhook-allowed-origin': '*' }), { consent: true }],
    ['a rate per minute', answer(200, { 'webhook-allowed-origin': '*', 'webhook-allowed-rate': '120' }), { consent: true, rateLimit: { perSecond: 2 } }],
    ['no rate limit', answer(200, { 'webhook-allowed-origin': '*', 'webhook-allowed-rate': '*' }), { consent: true }],
    ['a rate that is not a number', answer(200, { 'webhook-allowed-origin': '*', 'webhook-allowed-rate': 'fast' }), { consent: true }],
    ['a zero rate', answer(200, { 'webhook-allowed-origin': '*', 'webhook-allowed-rate': '0' }), { consent: true }],
    ['another origin', answer(200, { 'webhook-allowed-origin': 'evil.example.com' }), { consent: false, reason: 'it answered 200 (webhook-allowed-origin: "evil.example.com"); WebHook-Allowed-Origin must be "hub.example.com" or "*"' }],
    ['no WebHook-Allowed-Origin', answer(200), { consent: false, reason: 'it answered 200, without WebHook-Allowed-Origin' }],
    ['an error status, even with the header', answer(405, { allow: 'POST', 'webhook-allowed-origin': '*' }, { body: ' nope ' }), { consent: false, reason: 'it answered 405 (webhook-allowed-origin: "*", allow: "POST") body "nope"' }],
    ['a redirect', answer(301, { location: 'x' }), { consent: false, reason: 'it answered 301' }],
    ['no answer', answer(undefined, {}, { error: 'timed out after 10 ms' }), { consent: false, reason: 'no answer (timed out after 10 ms)' }],
  ])('should judge %s', (_case, given, verdict) => {
    expect(handshakeVerdict(given, ORIGIN)).toEqual(verdict);
  });

  it('should send OPTIONS headers naming the origin and the requested rate, and turn a refusal into a 400', async () => {
    const sent: Array<[string, Record<string, string>]> = [];
    const probe = { options: async (url: string, headers: Record<string, string>) => (sent.push([url, headers]), answer(403, {}, { body: 'x'.repeat(500) })) };
    const refusal = runHandshake(probe, { callback: 'http://listener/cb', origin: ORIGIN, requestRate: 600 });
    await expect(refusal).rejects.toMatchObject({ status: 400, reason: 'Callback validation failed' });
    await expect(refusal).rejects.toThrow(/OPTIONS http:\/\/listener\/cb\): it answered 403 body "x{200}"$/);
    expect(sent).toEqual([['http://listener/cb', { 'WebHook-Request-Origin': ORIGIN, 'WebHook-Request-Rate': '600' }]]);
  });
});
