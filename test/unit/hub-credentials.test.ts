import { checkedCredentials } from '../../src/hub/hub-credentials';
import { TmfError } from '../../src/errors';

/** A callback guard that refuses one host, and a transport registry that knows kafka:, nats:, amqp: and mqtt: as brokers. */
const callbacks = {
  creationRefusal: async (url: string) => (url.includes('169.254.169.254') ? '169.254.169.254 is link-local (cloud metadata)' : undefined),
  isBroker: (url: string) => /^(kafka|nats|amqp|mqtt):/.test(url),
};
const NOW = Date.parse('2026-12-06T00:00:00Z');
const OAUTH2 = { type: 'oauth2', tokenUrl: 'https://sso.example/token', clientId: 'hub', clientSecret: 's' };

/** The 400's message, or what was read. */
async function outcome(input: Record<string, unknown>, callback: string): Promise<unknown> {
  try {
    return await checkedCredentials(input, undefined, callback, callbacks, NOW);
  } catch (err) {
    if (!(err instanceof TmfError)) throw err;
    return `${err.status} ${err.message}`;
  }
}

describe('checkedCredentials', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['auth', 'kafka:orders', { auth: { type: 'bearer', token: 't' } }],
    ['headers', 'nats:orders.created', { headers: { 'X-A': '1' } }],
    ['tls', 'mqtt:orders/created', { tls: { certificate: 'x', privateKey: 'y' } }],
    ['auth', 'amqp:orders', { auth: OAUTH2, headers: { 'X-A': '1' } }],
  ])('should refuse %s on the broker callback %s, saying why, before reading it', async (name, callback, input) => {
    const scheme = callback.slice(0, callback.indexOf(':'));
    expect(await outcome(input, callback)).toBe(
      `400 ${name}: a ${scheme}: callback is a broker destination, which takes no auth, tls or headers (they are what an HTTP listener requires of each request)`,
    );
  });

  it.each<[string, string, Record<string, unknown>, unknown]>([
    ['nothing on a broker callback', 'kafka:orders', {}, undefined],
    ['a removal on a broker callback', 'kafka:orders', { auth: null }, undefined],
    ['a bearer', 'https://crm.example/events', { auth: { type: 'bearer', token: 't' } }, { auth: { type: 'bearer', token: 't' } }],
    ['headers', 'https://crm.example/events', { headers: { 'X-A': '1' } }, { headers: { 'X-A': '1' } }],
    ['an oauth2 with a token URL the guard allows', 'https://crm.example/events', { auth: OAUTH2 }, { auth: OAUTH2 }],
    ['a token URL the guard refuses', 'https://crm.example/events', { auth: { ...OAUTH2, tokenUrl: 'http://169.254.169.254/token' } }, '400 auth.tokenUrl: 169.254.169.254 is link-local (cloud metadata)'],
    ['a bad auth', 'https://crm.example/events', { auth: { type: 'bearer' } }, '400 auth.token: is required: a non-empty string'],
  ])('%s', async (_case, callback, input, expected) => {
    expect(await outcome(input, callback)).toEqual(expected);
  });
});
