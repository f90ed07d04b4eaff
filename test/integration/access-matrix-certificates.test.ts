import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeAccessMatrix } from '../helpers/access-matrix';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { TestCertificates, type KeyAndCertificate } from '../helpers/test-certificates';

/** The matrix with client certificates over HTTPS (HUB_TLS_CLIENT_CERT=required), made by a fresh PKI each run. */
let pki: TestCertificates;
let file: TestClientsFile;
let hubTls: { tlsCert: string; tlsKey: string; tlsClientCa: string };
let clients: Record<'publisher' | 'subscriberA' | 'subscriberB' | 'admin', KeyAndCertificate>;

beforeAll(() => {
  pki = TestCertificates.create();
  const write = (name: string, text: string) => {
    writeFileSync(join(pki.dir, name), text);
    return join(pki.dir, name);
  };
  const server = pki.server();
  hubTls = { tlsCert: write('hub.crt', server.cert), tlsKey: write('hub.key', server.key), tlsClientCa: write('ca.crt', pki.ca.cert) };
  clients = {
    publisher: pki.client([['O', 'Example CSP'], ['OU', 'orders'], ['CN', 'order-manager']]),
    subscriberA: pki.client([['O', 'Example CSP'], ['CN', 'billing']]),
    subscriberB: pki.client([['O', 'Example CSP'], ['CN', 'assurance']]),
    admin: pki.client([['O', 'Example CSP'], ['CN', 'ops']]),
  };
  file = writeClientsFile([
    { name: 'order-manager', certificateSubject: 'CN=order-manager,OU=orders,O=Example CSP', roles: ['publisher'], topics: ['orders', 'orders.*'] },
    { name: 'billing', certificateSubject: 'CN=billing,O=Example CSP', roles: ['subscriber'] },
    { name: 'assurance', certificateSubject: 'cn=assurance, o=Example CSP', roles: ['subscriber'] },
    { name: 'ops', certificateSubject: 'CN=ops,O=Example CSP', roles: ['admin'] },
  ]);
});
afterAll(() => {
  pki?.remove();
  file?.remove();
});

describeAccessMatrix('client certificates over HTTPS', () => ({
  config: { clientsFile: file.path, ...hubTls, tlsClientCert: 'optional' },
  tls: true,
  ca: pki.ca.cert,
  credentials: async () => ({
    publisher: { name: 'order-manager', tls: clients.publisher },
    subscriberA: { name: 'billing', tls: clients.subscriberA },
    subscriberB: { name: 'assurance', tls: clients.subscriberB },
    admin: { name: 'ops', tls: clients.admin },
  }),
  secrets: () => Object.values(clients).map((client) => client.key.split('\n')[1]),
}));
