import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TlsConfigError, tlsServerOptions } from '../../src/http/tls-options';
import { TestCertificates } from '../helpers/test-certificates';

describe('tlsServerOptions', () => {
  let pki: TestCertificates;
  const file = (name: string, text: string) => {
    const path = join(pki.dir, name);
    writeFileSync(path, text);
    return path;
  };
  let cert: string;
  let key: string;
  let ca: string;

  beforeAll(() => {
    pki = TestCertificates.create();
    const server = pki.server();
    cert = file('hub.crt', server.cert);
    key = file('hub.key', server.key);
    ca = file('clients-ca.crt', pki.ca.cert);
  });
  afterAll(() => pki.remove());

  it('should serve plain HTTP without a certificate', () => {
    expect(tlsServerOptions({})).toBeUndefined();
  });

  it('should serve HTTPS without asking for client certificates when no CA is given', () => {
    const options = tlsServerOptions({ tlsCert: cert, tlsKey: key })!;
    expect(String(options.cert)).toContain('BEGIN CERTIFICATE');
    expect(options.requestCert).toBeUndefined();
  });

  it.each<[string, 'optional' | 'required' | undefined, boolean]>([
    ['unset (optional)', undefined, false],
    ['optional', 'optional', false],
    ['required', 'required', true],
  ])('should ask for a client certificate with the CA, HUB_TLS_CLIENT_CERT %s refusing unverified ones: %s', (_case, mode, refuses) => {
    const options = tlsServerOptions({ tlsCert: cert, tlsKey: key, tlsClientCa: ca, tlsClientCert: mode })!;
    expect({ requestCert: options.requestCert, rejectUnauthorized: options.rejectUnauthorized }).toEqual({ requestCert: true, rejectUnauthorized: refuses });
    expect(String(options.ca)).toBe(pki.ca.cert);
  });

  it.each<[string, () => Parameters<typeof tlsServerOptions>[0], RegExp]>([
    ['a certificate that is not PEM', () => ({ tlsCert: file('bad.crt', 'not a certificate'), tlsKey: key }), /^HUB_TLS_CERT \(.*bad\.crt\) and HUB_TLS_KEY \(.*\) cannot be used: /],
    ['a key that is not the certificate\'s', () => ({ tlsCert: cert, tlsKey: file('other.key', pki.client([['CN', 'x']]).key) }), /^HUB_TLS_CERT .* cannot be used: .*key values mismatch/],
    ['a CA file without a certificate', () => ({ tlsCert: cert, tlsKey: key, tlsClientCa: file('empty-ca.crt', 'nothing here') }), /^HUB_TLS_CLIENT_CA \(.*empty-ca\.crt\) cannot be used: /],
  ])('should refuse %s, naming the variables', (_case, config, message) => {
    expect(() => tlsServerOptions(config())).toThrow(TlsConfigError);
    expect(() => tlsServerOptions(config())).toThrow(message);
  });
});
