import { Webhook } from 'standardwebhooks';
import { CredentialsHub, foundIn } from '../helpers/credentials-hub';
import { pollUntil } from '../helpers/poll';
import { SecureListener, type SecureRequest } from '../helpers/secure-listener';
import { API } from '../helpers/test-app';
import { TestCertificates } from '../helpers/test-certificates';
import { startHubProcess } from '../helpers/start-hub-process';
import { TestReceiver } from '../helpers/test-receiver';
import { freshDatabaseEnv, STORE_KIND } from '../helpers/test-stores';

const SIGNING = `whsec_${Buffer.from('signing-secret-of-the-credentials-suite').toString('base64')}`;
const BEARER = 'bearer-token-7f1c2a9e4b6d8f0a';
const PASSWORD = 'basic-password-3e5a7c9b1d';
const PARTNER_KEY = 'x-api-key-value-not-a-secret-shown-as-sent';

/**
 * Listeners that require credentials (issue 25), on the store of this jest run: what is refused,
 * what answers show, what arrives at the listener (exactly, and still signed), changing the
 * credentials, the validation handshake and replays with them, and a search of every answer,
 * delivery record, audit record, log line and exported span for the secrets.
 */
describe(`listener credentials (${STORE_KIND} store)`, () => {
  let hub: CredentialsHub;
  let listener: SecureListener;
  let topicId: string;
  const certificates = TestCertificates.create();
  const client = certificates.client([['O', 'Example CSP'], ['CN', 'hub-client']]);
  const secrets = [SIGNING, BEARER, PASSWORD, client.key];

  beforeAll(async () => {
    listener = await SecureListener.start();
    hub = await CredentialsHub.start();
    topicId = (await hub.call('post', '/topic', { name: 'orders' })).body.id;
  });

  afterAll(async () => {
    await listener.close();
    certificates.remove();
  });

  const createHub = (body: Record<string, unknown>) => hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url('/orders'), ...body });
  const publish = async (id = 'PO-1') => expect((await hub.call('post', `/topic/${topicId}/event`, { eventType: 'OrderCreateEvent', event: { order: { id } } })).status).toBe(201);
  const arrived = (count: number, path = '/orders') =>
    pollUntil(async () => (listener.requests.filter((r) => r.path === path).length >= count ? listener.requests.filter((r) => r.path === path) : undefined), 10_000, `${count} requests to ${path}`, 20);

  describe('refused with a 400 naming the field, nothing stored', () => {
    const pem = () => ({ certificate: client.cert, privateKey: client.key });
    it.each<[string, () => Record<string, unknown>, string]>([
      ['an auth without a type', () => ({ auth: { token: 'x' } }), 'auth.type is required'],
      ['a bearer without its token', () => ({ auth: { type: 'bearer' } }), 'auth.token: is required: a non-empty string'],
      ['a bearer with a foreign attribute', () => ({ auth: { type: 'bearer', token: 'x', username: 'u' } }), 'auth.username: not an attribute of bearer auth (it takes token)'],
      ['a basic without a password', () => ({ auth: { type: 'basic', username: 'u' } }), 'auth.password: is required: a non-empty string'],
      ['an oauth2 without a client secret', () => ({ auth: { type: 'oauth2', tokenUrl: 'http://127.0.0.1:9/token', clientId: 'c' } }), 'auth.clientSecret: is required: a non-empty string'],
      ['a token URL with user information', () => ({ auth: { type: 'oauth2', tokenUrl: 'http://u:p@127.0.0.1:9/token', clientId: 'c', clientSecret: 's' } }), 'auth.tokenUrl must match pattern'],
      ['a token URL the callback guard refuses', () => ({ auth: { type: 'oauth2', tokenUrl: 'http://169.254.169.254/token', clientId: 'c', clientSecret: 's' } }), 'auth.tokenUrl: 169.254.169.254 is link-local (cloud metadata)'],
      ['a certificate that is not PEM', () => ({ tls: { ...pem(), certificate: 'not a certificate' } }), 'tls.certificate: not PEM (no -----BEGIN CERTIFICATE----- block)'],
      ['a certificate PEM that does not parse', () => ({ tls: { ...pem(), certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' } }), 'tls.certificate: PEM block 1 does not parse as an X.509 certificate'],
      ['a key that does not parse', () => ({ tls: { ...pem(), privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' } }), 'tls.privateKey: does not parse as a private key'],
      ['a key of another certificate', () => ({ tls: { ...pem(), privateKey: certificates.ca.key } }), 'tls.privateKey: does not match the certificate (tls.certificate) it is given with'],
      ['a CA that does not parse', () => ({ tls: { ...pem(), ca: 'nope' } }), 'tls.ca: not PEM (no -----BEGIN CERTIFICATE----- block)'],
      ['a tls without its key', () => ({ tls: { certificate: client.cert } }), 'tls.privateKey: is required: a PEM string'],
      ['a header name that is not a token', () => ({ headers: { 'X Partner': 'a' } }), 'headers: "X Partner" is not a valid header name'],
      ['content-type', () => ({ headers: { 'Content-Type': 'text/plain' } }), 'headers.Content-Type: may not be set: the hub sets it for the notification it sends'],
      ['a webhook-* header', () => ({ headers: { 'Webhook-Id': 'x' } }), "headers.Webhook-Id: may not be set: the webhook-* headers are the hub's (Standard Webhooks)"],
      ['a ce-* header', () => ({ headers: { 'ce-type': 'x' } }), "headers.ce-type: may not be set: the ce-* headers are the hub's (CloudEvents binary mode)"],
      ['traceparent', () => ({ headers: { traceparent: 'x' } }), 'headers.traceparent: may not be set: the hub sends the trace context of each attempt'],
      ['host', () => ({ headers: { Host: 'x' } }), "headers.Host: may not be set: it is the callback URL's host"],
      ['authorization with auth set', () => ({ auth: { type: 'bearer', token: 'x' }, headers: { Authorization: 'Bearer y' } }), 'headers.Authorization: may not be set: auth sets it'],
      ['a header twice', () => ({ headers: { 'X-A': '1', 'x-a': '2' } }), 'headers.x-a: given twice (header names are case-insensitive)'],
      ['a value with a line break', () => ({ headers: { 'X-A': 'a\r\nX-B: b' } }), 'headers.X-A: the value may hold only visible characters and inner spaces'],
      ['21 headers', () => ({ headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) }), 'headers must NOT have more than 20 properties'],
    ])('%s', async (_case, body, message) => {
      const before = (await hub.call('get', `/topic/${topicId}/hub`)).body.length;
      const res = await createHub(body());
      expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({ status: 400, code: 'BadRequest', message: expect.stringContaining(message) });
      expect((await hub.call('get', `/topic/${topicId}/hub`)).body.length).toBe(before);
    });
  });

  describe('a hub with every credential', () => {
    let under: string;
    let created: Record<string, unknown>;

    beforeAll(async () => {
      const res = await createHub({
        secret: SIGNING,
        auth: { type: 'basic', username: 'hub-user', password: PASSWORD },
        tls: { certificate: client.cert, privateKey: client.key, ca: certificates.ca.cert },
        headers: { 'X-Partner-Id': 'acme', 'X-Api-Key': PARTNER_KEY },
      });
      expect(res.status).toBe(201);
      created = res.body;
      under = `/topic/${topicId}/hub/${res.body.id}`;
    });

    it('should show auth without its secret, tls as subject, fingerprint and expiry, and the headers as sent', async () => {
      const shown = {
        auth: { type: 'basic', username: 'hub-user' },
        tls: { subject: 'CN=hub-client,O=Example CSP', fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/), expiresAt: expect.any(String) },
        headers: { 'X-Partner-Id': 'acme', 'X-Api-Key': PARTNER_KEY },
      };
      expect(created).toMatchObject(shown);
      expect(Object.keys(created.tls as object).sort()).toEqual(['expiresAt', 'fingerprint', 'subject']);
      expect(created).not.toHaveProperty('secret');
      expect((await hub.call('get', under)).body).toMatchObject(shown);
      expect((await hub.call('get', `${under}?fields=auth,tls`)).body).toEqual({ id: created.id, href: expect.any(String), '@type': 'Hub', callback: listener.url('/orders'), auth: shown.auth, tls: shown.tls });
      expect((await hub.call('get', `/topic/${topicId}/hub?id=${created.id}`)).body).toEqual([expect.objectContaining(shown)]);
    });

    it.each([
      ['auth.password.regex=^basic', 'auth.password cannot be used in a filter: it is never shown'],
      ['tls.privateKey.regex=^-----', 'tls.privateKey cannot be used in a filter: it is never shown'],
      ['tls.certificate.regex=^-----', 'tls.certificate cannot be used in a filter: it is never shown'],
      ['secret.credentials.auth.password.regex=^b', 'secret.credentials.auth.password cannot be used in a filter: it is never shown'],
    ])('should refuse a filter on a secret part: %s', async (filter, message) => {
      const res = await hub.call('get', `/topic/${topicId}/hub?${filter}`);
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message });
    });

    it('should filter on what is shown', async () => {
      const res = await hub.call('get', `/topic/${topicId}/hub?auth.type=basic&headers.X-Partner-Id=acme`);
      expect(res.body.map((h: { id: string }) => h.id)).toEqual([created.id]);
    });
  });

  describe('what arrives', () => {
    it.each<[string, Record<string, unknown>, (req: SecureRequest) => unknown]>([
      ['bearer', { auth: { type: 'bearer', token: BEARER } }, (req) => req.headers.authorization],
      ['basic', { auth: { type: 'basic', username: 'hub-user', password: PASSWORD } }, (req) => req.headers.authorization],
      ['custom headers', { headers: { 'X-Partner-Id': 'acme', 'X-Route': 'eu west 1', 'User-Agent': 'partner-gateway/2' } }, (req) => [req.rawHeaders.filter((_v, i) => i % 2 === 0 && /^(X-|User-Agent)/i.test(req.rawHeaders[i])), req.headers['x-partner-id'], req.headers['x-route'], req.headers['user-agent']]],
    ])('%s, exactly as configured, signed and verifiable', async (kind, credentials, seen) => {
      const path = `/arrive-${kind.replace(' ', '-')}`;
      expect((await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url(path), secret: SIGNING, format: 'cloudevents', ...credentials })).status).toBe(201);
      await publish(`PO-${kind}`);
      const [req] = await arrived(1, path);
      const expected = {
        bearer: `Bearer ${BEARER}`,
        basic: `Basic ${Buffer.from(`hub-user:${PASSWORD}`).toString('base64')}`,
        'custom headers': [['X-Partner-Id', 'X-Route', 'User-Agent'], 'acme', 'eu west 1', 'partner-gateway/2'],
      }[kind];
      expect(seen(req)).toEqual(expected);
      // The Standard Webhooks signature over the CloudEvent still verifies.
      const event = new Webhook(SIGNING).verify(req.body, req.headers as Record<string, string>) as { specversion: string; type: string };
      expect({ specversion: event.specversion, type: event.type, contentType: req.headers['content-type'] }).toEqual({ specversion: '1.0', type: 'OrderCreateEvent', contentType: 'application/cloudevents+json' });
    });
  });

  describe('changing the credentials', () => {
    let under: string;
    let hubId: string;
    beforeAll(async () => {
      const res = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url('/change'), auth: { type: 'bearer', token: 'first-token' }, headers: { 'X-A': '1' } });
      hubId = res.body.id;
      under = `/topic/${topicId}/hub/${hubId}`;
    });

    it('should replace what it names, keep the rest, and send the new ones on the next attempt', async () => {
      const res = await hub.call('post', `${under}/credentials`, { auth: { type: 'bearer', token: BEARER } });
      expect({ status: res.status, auth: res.body.auth, headers: res.body.headers }).toEqual({ status: 200, auth: { type: 'bearer' }, headers: { 'X-A': '1' } });
      await publish('PO-change');
      const [req] = await arrived(1, '/change');
      expect({ authorization: req.headers.authorization, a: req.headers['x-a'] }).toEqual({ authorization: `Bearer ${BEARER}`, a: '1' });
    });

    it('should remove what `remove` lists', async () => {
      const res = await hub.call('post', `${under}/credentials`, { remove: ['auth'], headers: { Authorization: 'Custom scheme' } });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('auth');
      expect(res.body.headers).toEqual({ Authorization: 'Custom scheme' });
      expect((await hub.call('get', under)).body).not.toHaveProperty('auth');
    });

    it.each<[string, unknown, string]>([
      ['nothing named', {}, 'the body must NOT have fewer than 1 properties'],
      ['only an empty remove', { remove: [] }, 'Name at least one of auth, tls and headers, to set or to remove'],
      ['a removal of what it sets', { auth: { type: 'bearer', token: 'x' }, remove: ['auth'] }, 'remove: auth is also given: set it or remove it'],
      ['auth while the headers set Authorization', { auth: { type: 'bearer', token: 'x' } }, "auth: the hub's headers already set Authorization"],
    ])('should refuse %s with a 400, changing nothing', async (_case, body, message) => {
      const before = (await hub.call('get', under)).body;
      const res = await hub.call('post', `${under}/credentials`, body);
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringContaining(message) });
      expect((await hub.call('get', under)).body).toEqual(before);
    });

    it('should answer 404 for a hub that does not exist, on both paths', async () => {
      expect((await hub.call('post', `/topic/${topicId}/hub/nope/credentials`, { headers: {} })).status).toBe(404);
      expect((await hub.call('post', '/hub/nope/credentials', { headers: {} })).status).toBe(404);
    });

    it('should record the change in the audit trail', async () => {
      const records = (await hub.call('get', '/auditRecord?operation=replaceTopicHubCredentials')).body;
      expect(records.map((r: { resource: string; status: number }) => [r.resource, r.status])).toContainEqual([`${API}${under}/credentials`, 200]);
    });
  });

  describe('POST /hub registrations', () => {
    it('should take credentials, show them safely and deliver with them', async () => {
      const res = await hub.call('post', '/hub', { callback: listener.url('/registration'), auth: { type: 'bearer', token: BEARER } });
      expect({ status: res.status, auth: res.body.auth }).toEqual({ status: 201, auth: { type: 'bearer' } });
      const changed = await hub.call('post', `/hub/${res.body.id}/credentials`, { headers: { 'X-Partner-Id': 'acme' } });
      expect({ status: changed.status, headers: changed.body.headers, auth: changed.body.auth }).toEqual({ status: 200, headers: { 'X-Partner-Id': 'acme' }, auth: { type: 'bearer' } });
      await hub.call('post', '/topic', { name: 'announced' });
      const [req] = await arrived(1, '/registration');
      expect({ authorization: req.headers.authorization, partner: req.headers['x-partner-id'] }).toEqual({ authorization: `Bearer ${BEARER}`, partner: 'acme' });
    });
  });

  describe('the validation handshake and replays', () => {
    it('should ask for consent with the credentials, and replay with them', async () => {
      listener.responder = (req) => {
        if (req.path !== '/guarded') return { status: 201 };
        if (req.headers.authorization !== `Bearer ${BEARER}`) return { status: 401 };
        return req.method === 'OPTIONS' ? { status: 200, headers: { 'WebHook-Allowed-Origin': '*' } } : { status: 204 };
      };
      const refused = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url('/guarded'), validate: true });
      expect({ status: refused.status, message: refused.body.message }).toEqual({ status: 400, message: expect.stringContaining('it answered 401') });
      const res = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url('/guarded'), validate: true, auth: { type: 'bearer', token: BEARER } });
      expect(res.status).toBe(201);
      const replay = await hub.call('post', `/topic/${topicId}/hub/${res.body.id}/replay`, { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
      expect(replay.body.queued).toBeGreaterThan(0);
      const delivered = await hub.deliveriesOf(`/topic/${topicId}/hub/${res.body.id}`, (items) => items.length === replay.body.queued && items.every((d) => d.status === 'delivered'), 'the replayed deliveries');
      expect(delivered.every((d) => d.replay === true && d.attempts.length === 1)).toBe(true);
      const sent = listener.requests.filter((r) => r.path === '/guarded' && r.method === 'POST');
      expect(sent.every((r) => r.headers.authorization === `Bearer ${BEARER}` && r.headers['webhook-replay'] === 'true')).toBe(true);
      listener.responder = () => ({ status: 201 });
    });
  });

  it('should warn once of a client certificate near its end and show its expiry on /metrics', async () => {
    const metrics = await hub.app.metrics.scrape();
    const hubIds = [...metrics.body.matchAll(/tmf688_hub_client_certificate_expiry_seconds\{hub="([^"]+)"\} (\d+)/g)];
    expect(hubIds.length).toBeGreaterThan(0);
    // The test certificates live two days: within the 14 days of the warning.
    expect(Number(hubIds[0][2])).toBeLessThanOrEqual(2 * 24 * 3600);
    const warnings = hub.lines.filter((l) => l.includes('client certificate expires within 14 days'));
    expect(warnings.length).toBe(hubIds.length);
  });

  it('should export no secret in a span or a log line of a hub process that delivers with credentials', async () => {
    const collector = await TestReceiver.start(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
    const proc = await startHubProcess({ ...freshDatabaseEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: collector.url(''), LOG_LEVEL: 'debug', HUB_RETRY_SCHEDULE: '100ms', HUB_DELIVERY_POLL: '50ms' });
    try {
      const call = async (path: string, body: unknown) =>
        (await fetch(`${proc.baseUrl}${API}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<any>;
      const topic = await call('/topic', { name: 'spans' });
      listener.responder = (req) => ({ status: req.path === '/spans' && req.headers.authorization === `Bearer ${BEARER}` ? 204 : req.path === '/spans' ? 401 : 201 });
      await call(`/topic/${topic.id}/hub`, { callback: listener.url('/spans'), secret: SIGNING, auth: { type: 'bearer', token: BEARER }, tls: { certificate: client.cert, privateKey: client.key } });
      await call(`/topic/${topic.id}/hub`, { callback: listener.url('/spans-refused'), auth: { type: 'basic', username: 'u', password: PASSWORD } });
      await call(`/topic/${topic.id}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: 'PO-span' } } });
      await arrived(1, '/spans');
      await arrived(1, '/spans-refused');
    } finally {
      listener.responder = () => ({ status: 201 });
      proc.child.kill('SIGTERM');
      await proc.exited;
      await collector.close();
    }
    const spans = collector.requestsTo('/v1/traces').map((r) => r.body);
    expect(spans.join('')).toContain('"deliver"');
    expect(foundIn([...spans.map((s) => ['span', s] as const), ['log', proc.output()] as const], secrets)).toEqual([]);
  });

  // Last: everything the suite produced.
  it('should never show a secret or a private key in an answer, a delivery record, an audit record, a log line or a span', async () => {
    expect(await hub.leaksOf(secrets)).toEqual([]);
  });
});
