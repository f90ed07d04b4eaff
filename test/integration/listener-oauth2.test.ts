import { Webhook } from 'standardwebhooks';
import { OidcVerifier } from '../../src/access/oidc-verifier';
import { CredentialsHub } from '../helpers/credentials-hub';
import { clientToken, describeKeycloak, HUB_CLIENT } from '../helpers/keycloak-test';
import { pollUntil } from '../helpers/poll';
import { SecureListener } from '../helpers/secure-listener';
import { TestTokenEndpoint } from '../helpers/test-token-endpoint';
import { STORE_KIND } from '../helpers/test-stores';

const SIGNING = `whsec_${Buffer.from('signing-secret-of-the-oauth2-suite').toString('base64')}`;
const CLIENT_SECRET = 'oauth2-client-secret-5b8d2f7a1c';

/**
 * OAuth2 client credentials toward a listener (issue 25), on the store of this jest run: a loopback
 * token endpoint that counts its grants shows the token cached per hub, fetched again when it is
 * within 30 s of its expiry, fetched again once when the listener answers 401, and a token that
 * cannot be had recorded as an attempt failure and retried. Counts, never timings.
 */
describe(`OAuth2 client credentials toward a listener (${STORE_KIND} store)`, () => {
  let hub: CredentialsHub;
  let listener: SecureListener;
  let endpoint: TestTokenEndpoint;
  /** Each hub has a topic of its own, so an event reaches one hub only and the grants counted are its own. */
  const topicOf = new Map<string, string>();

  beforeAll(async () => {
    endpoint = await TestTokenEndpoint.start('hub-client', CLIENT_SECRET);
    listener = await SecureListener.start();
    // The listener accepts only tokens the endpoint issued and has not revoked.
    listener.responder = (req) => ({ status: endpoint.valid(req.headers.authorization) ? 201 : 401 });
    hub = await CredentialsHub.start();
  });

  afterAll(async () => {
    await listener.close();
    await endpoint.close();
  });

  const oauth2 = (extra: Record<string, unknown> = {}) => ({ type: 'oauth2', tokenUrl: endpoint.url, clientId: 'hub-client', clientSecret: CLIENT_SECRET, ...extra });
  const create = async (path: string, auth: Record<string, unknown>) => {
    const topicId = (await hub.call('post', '/topic', { name: `orders${path.replace(/\//g, '.')}` })).body.id;
    const res = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url(path), secret: SIGNING, format: 'cloudevents', auth });
    expect(res.status).toBe(201);
    const under = `/topic/${topicId}/hub/${res.body.id}`;
    topicOf.set(under, topicId);
    return under;
  };
  const publish = async (under: string, id: string) =>
    expect((await hub.call('post', `/topic/${topicOf.get(under)}/event`, { eventType: 'OrderCreateEvent', event: { order: { id } } })).status).toBe(201);
  /** Publishes one event and waits until `under` has `count` delivered deliveries: one at a time, so each attempt asks the cache alone. */
  const deliverOne = async (under: string, count: number) => {
    await publish(under, `PO-${count}`);
    return hub.deliveriesOf(under, (items) => items.filter((d) => d.status === 'delivered').length >= count, `${count} deliveries`);
  };
  const grantsSince = (before: number) => endpoint.grants.slice(before);

  it('should fetch one token for many deliveries, by HTTP Basic client authentication, with scope and audience, and stay signed', async () => {
    const before = endpoint.grants.length;
    const under = await create('/cached', oauth2({ scope: 'orders.write', audience: 'partner-api' }));
    for (const n of [1, 2, 3]) await deliverOne(under, n);
    expect(grantsSince(before)).toEqual([{ clientAuth: 'basic', clientId: 'hub-client', form: { grant_type: 'client_credentials', scope: 'orders.write', audience: 'partner-api' } }]);
    const arrived = listener.requests.filter((r) => r.path === '/cached');
    expect(arrived.map((r) => endpoint.valid(r.headers.authorization))).toEqual([true, true, true]);
    // The Standard Webhooks signature over the CloudEvent verifies beside the token.
    const event = new Webhook(SIGNING).verify(arrived[0].body, arrived[0].headers as Record<string, string>) as { specversion: string; type: string };
    expect([event.specversion, event.type]).toEqual(['1.0', 'OrderCreateEvent']);
  });

  it('should send the client id and secret in the body when clientAuth is "body"', async () => {
    const before = endpoint.grants.length;
    const under = await create('/body', oauth2({ clientAuth: 'body' }));
    await deliverOne(under, 1);
    expect(grantsSince(before)).toEqual([{ clientAuth: 'body', clientId: 'hub-client', form: { grant_type: 'client_credentials', client_id: 'hub-client', client_secret: CLIENT_SECRET } }]);
  });

  it('should fetch a new token for each delivery when tokens live no longer than the 30 s margin', async () => {
    endpoint.expiresIn = 30;
    try {
      const before = endpoint.grants.length;
      const under = await create('/short-lived', oauth2());
      for (const n of [1, 2, 3]) await deliverOne(under, n);
      expect(grantsSince(before).length).toBe(3);
    } finally {
      endpoint.expiresIn = 3600;
    }
  });

  it('should fetch a token again once when the listener answers 401, and deliver in the same attempt', async () => {
    const under = await create('/revoked', oauth2());
    await deliverOne(under, 1);
    const before = endpoint.grants.length;
    endpoint.revokeAll();
    const delivered = await deliverOne(under, 2);
    expect(grantsSince(before).length).toBe(1);
    expect(delivered.map((d) => d.attempts.map((a: { outcome: string }) => a.outcome))).toEqual([['delivered'], ['delivered']]);
    // The revoked token was sent once more, refused, and the new one (still valid) delivered.
    const [first, refused, fresh] = listener.requests.filter((r) => r.path === '/revoked').map((r) => r.headers.authorization);
    expect([refused === first, fresh !== first, endpoint.valid(fresh)]).toEqual([true, true, true]);
  });

  it('should record a 401 as the attempt failure when the fresh token is refused too, fetching once per attempt', async () => {
    listener.responder = () => ({ status: 401 });
    try {
      const under = await create('/always-401', oauth2());
      const before = endpoint.grants.length;
      await publish(under, 'PO-401');
      const [dead] = await hub.deliveriesOf(under, (items) => items[0]?.status === 'dead', 'the delivery to die');
      expect(dead.attempts.map((a: { outcome: string; statusCode?: number }) => [a.outcome, a.statusCode])).toEqual(Array(4).fill(['failed', 401]));
      // The first attempt fetches one and, refused, one more; each later attempt refetches once: never a loop.
      expect(grantsSince(before).length).toBe(2 + 3);
    } finally {
      listener.responder = (req) => ({ status: endpoint.valid(req.headers.authorization) ? 201 : 401 });
    }
  });

  it.each<[string, () => void, Record<string, unknown>, RegExp]>([
    ['a wrong client secret', () => undefined, { clientSecret: 'not-the-secret-9f2e' }, /token endpoint.*401.*invalid_client/],
    ['a failing token endpoint', () => (endpoint.failWith = { status: 503, body: 'down for maintenance' }), {}, /token endpoint.*503/],
    ['an answer without a token', () => (endpoint.failWith = { status: 200, body: '{"token_type":"Bearer"}' }), {}, /token endpoint.*access_token/],
  ])('should record %s as an attempt failure with its reason, retry it, and deliver once it is fixed', async (kind, breakIt, auth, reason) => {
    const path = `/token-${kind.split(' ').join('-')}`;
    breakIt();
    try {
      const under = await create(path, oauth2(auth));
      await publish(under, path);
      const [dead] = await hub.deliveriesOf(under, (items) => items[0]?.status === 'dead', 'the delivery to die');
      expect(dead.attempts.length).toBe(4);
      for (const attempt of dead.attempts) expect({ outcome: attempt.outcome, error: attempt.error }).toEqual({ outcome: 'failed', error: expect.stringMatching(reason) });
      expect(listener.requests.filter((r) => r.path === path)).toEqual([]);
      endpoint.failWith = undefined;
      expect((await hub.call('post', `${under}/credentials`, { auth: oauth2() })).status).toBe(200);
      expect((await hub.call('post', `${under}/delivery/${dead.id}/redeliver`)).status).toBe(202);
      await hub.deliveriesOf(under, (items) => items[0]?.status === 'delivered', 'the redelivery');
    } finally {
      endpoint.failWith = undefined;
    }
  });

  it('should never show the client secret or an access token in an answer, a delivery record, an audit record or a log line', async () => {
    await pollUntil(async () => (endpoint.tokens.length > 0 ? true : undefined), 1000, 'a token issued', 20);
    expect(await hub.leaksOf([CLIENT_SECRET, 'not-the-secret-9f2e', ...endpoint.tokens])).toEqual([]);
  });
});

/** A listener that accepts only access tokens from the real Keycloak, checked against its JWKS. */
describeKeycloak(`OAuth2 client credentials from Keycloak toward a listener (${STORE_KIND} store)`, (issuer) => {
  let hub: CredentialsHub;
  let listener: SecureListener;
  const verifier = new OidcVerifier({ issuer, audience: HUB_CLIENT });
  const seen: string[] = [];

  beforeAll(async () => {
    listener = await SecureListener.start();
    listener.responder = async (req) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const result = token ? await verifier.verify(token) : undefined;
      seen.push(result?.principal?.name ?? `refused: ${result?.failure?.description ?? 'no token'}`);
      return { status: result?.principal ? 201 : 401 };
    };
    hub = await CredentialsHub.start();
  });

  afterAll(() => listener.close());

  it('should deliver with a token Keycloak issued by client credentials, and be refused with another client\'s', async () => {
    const topicId = (await hub.call('post', '/topic', { name: 'keycloak-orders' })).body.id;
    const auth = (clientId: string) => ({ type: 'oauth2', tokenUrl: `${issuer}/protocol/openid-connect/token`, clientId, clientSecret: `${clientId}-secret` });
    const good = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url('/keycloak'), auth: auth('subscriber-a') });
    // "outsider" gets tokens for another audience: the listener refuses them.
    const other = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url('/outsider'), auth: auth('outsider') });
    expect([good.status, other.status]).toEqual([201, 201]);
    expect((await hub.call('post', `/topic/${topicId}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: 'PO-K' } } })).status).toBe(201);
    const [delivered] = await hub.deliveriesOf(`/topic/${topicId}/hub/${good.body.id}`, (items) => items[0]?.status === 'delivered', 'the delivery');
    expect(delivered.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['delivered']);
    const [dead] = await hub.deliveriesOf(`/topic/${topicId}/hub/${other.body.id}`, (items) => items[0]?.status === 'dead', 'the refused delivery');
    expect(dead.attempts.map((a: { statusCode?: number }) => a.statusCode)).toEqual([401, 401, 401, 401]);
    expect(seen).toContain('oidc:subscriber-a');
    expect(seen).toContain('refused: The token is for another audience');
    // The same client's token, asked of Keycloak directly, is accepted too: the listener checks what Keycloak signs.
    expect((await verifier.verify(await clientToken(issuer, 'subscriber-a'))).principal?.name).toBe('oidc:subscriber-a');
    expect(await hub.leaksOf(['subscriber-a-secret', 'outsider-secret'])).toEqual([]);
  });
});
