import { CredentialsHub } from '../helpers/credentials-hub';
import { SecureListener } from '../helpers/secure-listener';
import { TestCertificates } from '../helpers/test-certificates';
import { STORE_KIND } from '../helpers/test-stores';

/**
 * A listener that requires a client certificate (issue 25): HTTPS on loopback with requestCert and
 * rejectUnauthorized, trusting only a CA made on this run. The hub's certificate gets through; none,
 * or one of another CA, is refused at the handshake, recorded as a TLS failure and retried, until
 * the hub is given the right one.
 */
describe(`mutual TLS toward a listener (${STORE_KIND} store)`, () => {
  const pki = TestCertificates.create('listener CA');
  const stranger = TestCertificates.create('another CA');
  const server = pki.server();
  const client = pki.client([['O', 'Example CSP'], ['CN', 'hub-client']]);
  const wrong = stranger.client([['CN', 'hub-client']]);
  let listener: SecureListener;
  let hub: CredentialsHub;
  let topicId: string;

  beforeAll(async () => {
    listener = await SecureListener.start({ key: server.key, cert: server.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true });
    hub = await CredentialsHub.start();
    topicId = (await hub.call('post', '/topic', { name: 'orders' })).body.id;
  });

  afterAll(async () => {
    await listener.close();
    pki.remove();
    stranger.remove();
  });

  const create = async (path: string, tls?: Record<string, string>) => {
    const res = await hub.call('post', `/topic/${topicId}/hub`, { callback: listener.url(path), ...(tls ? { tls } : {}) });
    expect(res.status).toBe(201);
    return `/topic/${topicId}/hub/${res.body.id}`;
  };
  const publish = async () => expect((await hub.call('post', `/topic/${topicId}/event`, { eventType: 'OrderCreateEvent', event: { order: { id: 'PO-1' } } })).status).toBe(201);

  it('should deliver with the hub\'s client certificate, trusting the listener\'s private CA', async () => {
    const under = await create('/with-certificate', { certificate: client.cert, privateKey: client.key, ca: pki.ca.cert });
    await publish();
    const [delivery] = await hub.deliveriesOf(under, (items) => items[0]?.status === 'delivered', 'the delivery');
    expect(delivery.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['delivered']);
    expect(listener.requests.filter((r) => r.path === '/with-certificate').map((r) => r.clientCn)).toEqual(['hub-client']);
  });

  it.each<[string, () => Record<string, string> | undefined, RegExp]>([
    ['without a certificate', () => undefined, /^TLS failure: .*(self-signed certificate in certificate chain|SELF_SIGNED_CERT_IN_CHAIN)/],
    ['with a certificate of another CA', () => ({ certificate: wrong.cert, privateKey: wrong.key, ca: pki.ca.cert }), /^TLS failure: .*(unknown ca|bad certificate|certificate required|without answering a request sent with the client certificate)/],
  ])('should record a TLS failure %s, retry it, and deliver once given the right one', async (kind, tls, failure) => {
    const path = `/refused-${kind.split(' ').join('-')}`;
    const under = await create(path, tls());
    await publish();
    const [dead] = await hub.deliveriesOf(under, (items) => items[0]?.status === 'dead', 'the delivery to die');
    expect(dead.attempts.length).toBe(4);
    for (const attempt of dead.attempts) expect({ outcome: attempt.outcome, error: attempt.error }).toEqual({ outcome: 'failed', error: expect.stringMatching(failure) });
    expect(listener.requests.filter((r) => r.path === path)).toEqual([]);

    const changed = await hub.call('post', `${under}/credentials`, { tls: { certificate: client.cert, privateKey: client.key, ca: pki.ca.cert } });
    expect(changed.body.tls.subject).toBe('CN=hub-client,O=Example CSP');
    expect((await hub.call('post', `${under}/delivery/${dead.id}/redeliver`)).status).toBe(202);
    const [delivered] = await hub.deliveriesOf(under, (items) => items[0]?.status === 'delivered', 'the redelivery');
    expect(delivered.attempts.at(-1).outcome).toBe('delivered');
    expect(listener.requests.filter((r) => r.path === path).map((r) => r.clientCn)).toEqual(['hub-client']);
  });

  it('should never show a private key in an answer, a delivery record, an audit record or a log line', async () => {
    expect(await hub.leaksOf([client.key, wrong.key])).toEqual([]);
  });
});
