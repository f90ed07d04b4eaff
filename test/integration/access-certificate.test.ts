import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ClientDirectory } from '../../src/access/client-directory';
import { parseClientsFile } from '../../src/access/clients-file';
import { peerSubjectText } from '../../src/access/certificate-subject';
import { TestCertificates, type KeyAndCertificate } from '../helpers/test-certificates';

/**
 * Client certificates over real TLS: an https server that asks for a certificate (optional, as
 * HUB_TLS_CLIENT_CERT=optional does) and trusts the test CA; each request answers the principal
 * the clients file maps the connection to.
 */
describe('client certificates over TLS', () => {
  let pki: TestCertificates;
  let stranger: TestCertificates;
  let server: Server;
  let port: number;
  const directory = new ClientDirectory(
    parseClientsFile(`
clients:
  - name: billing
    certificateSubject: "CN=billing, OU=east, OU=ops, O=Example CSP, C=DE"
    roles: [subscriber]
    topics: ["billing.*"]
  - name: assurance
    certificateSubject: "cn=assurance,o=Example CSP"
    roles: [reader]
`).clients,
  );

  beforeAll(async () => {
    pki = TestCertificates.create();
    stranger = TestCertificates.create('a CA the hub does not trust');
    server = createServer({ ...pki.server(), ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const socket = req.socket as TLSSocket;
      const principal = directory.byVerifiedPeer(socket) ?? null;
      const subject = socket.getPeerCertificate().subject;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ principal, authorized: socket.authorized, subject: subject ? peerSubjectText(subject) : null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.remove();
    stranger.remove();
  });

  const get = (client?: KeyAndCertificate): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', ca: pki.ca.cert, ...client, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
      });
      req.on('error', reject);
      req.end();
    });

  it('should map a verified certificate to the entry naming its subject (any order, repeated OU)', async () => {
    const answer = await get(pki.client([['C', 'DE'], ['O', 'Example CSP'], ['OU', 'ops'], ['OU', 'east'], ['CN', 'billing']]));
    expect(answer).toEqual({
      principal: { name: 'billing', roles: ['subscriber'], topics: ['billing.*'], quota: {}, authenticatedBy: 'certificate' },
      authorized: true,
      subject: 'CN=billing,OU=east,OU=ops,O=Example CSP,C=DE',
    });
  });

  it('should map a subject written in lower case and in another order', async () => {
    expect((await get(pki.client([['O', 'Example CSP'], ['CN', 'assurance']]))).principal).toEqual({ name: 'assurance', roles: ['reader'], quota: {}, authenticatedBy: 'certificate' });
  });

  it.each<[string, () => KeyAndCertificate | undefined, boolean]>([
    ['a verified certificate no entry names', () => pki.client([['O', 'Example CSP'], ['CN', 'someone-else']]), true],
    ['a verified certificate with one attribute more than the entry', () => pki.client([['C', 'US'], ['O', 'Example CSP'], ['CN', 'assurance']]), true],
    ['a certificate with the right subject from an untrusted CA', () => stranger.client([['O', 'Example CSP'], ['CN', 'assurance']]), false],
    ['no certificate', () => undefined, false],
  ])('should give no principal for %s', async (_case, make, authorized) => {
    const answer = await get(make());
    expect(answer.principal).toBeNull();
    expect(answer.authorized).toBe(authorized);
  });
});
