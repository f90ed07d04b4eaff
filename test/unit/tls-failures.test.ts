import { reasonOf, TLS_CODE, unansweredWithCertificate } from '../../src/delivery/tls-failures';

describe('reasonOf', () => {
  it.each([
    ['C0B7D1F8:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 116\n', 'tlsv13 alert certificate required'],
    ['40A7:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/ssl/rec_layer_s3.c:1584:SSL alert number 48', 'tlsv1 alert unknown ca'],
    ['self-signed certificate in certificate chain\nmore', 'self-signed certificate in certificate chain'],
  ])('%s', (message, reason) => {
    expect(reasonOf(message)).toBe(reason);
  });
});

describe('TLS_CODE', () => {
  it.each<[string, boolean]>([
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', true],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', true],
    ['SELF_SIGNED_CERT_IN_CHAIN', true],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', true],
    ['CERT_HAS_EXPIRED', true],
    ['ERR_TLS_CERT_ALTNAME_INVALID', true],
    ['ECONNREFUSED', false],
    ['UND_ERR_SOCKET', false],
  ])('%s: %s', (code, tls) => {
    expect(TLS_CODE.test(code)).toBe(tls);
  });
});

describe('unansweredWithCertificate', () => {
  it.each<[string, unknown, boolean]>([
    ['the connection closed without an answer', { code: 'UND_ERR_SOCKET', message: 'other side closed' }, true],
    ['another socket error', { code: 'UND_ERR_SOCKET', message: 'reset' }, false],
    ['a refused connection', { code: 'ECONNREFUSED', message: 'other side closed' }, false],
    ['no error object', undefined, false],
  ])('%s', (_case, err, refused) => {
    expect(unansweredWithCertificate(err) !== undefined).toBe(refused);
  });
});
