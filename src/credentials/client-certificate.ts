import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { ListenerTls } from './listener-credentials';

/** Longest PEM text accepted per field: a certificate chain or a CA bundle of a few dozen certificates. */
export const MAX_PEM_CHARS = 65_536;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The PEM blocks of a text, with their labels. */
const blocksOf = (text: string): Array<{ label: string; pem: string }> => [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1], pem: m[0] }));

/** The certificates of a PEM text (a chain or a bundle), or why it is not one. Never quotes the text. */
function certificatesOf(text: string, field: string): X509Certificate[] | string {
  if (text.length > MAX_PEM_CHARS) return `${field}: longer than ${MAX_PEM_CHARS} characters`;
  const blocks = blocksOf(text);
  if (blocks.length === 0) return `${field}: not PEM (no -----BEGIN CERTIFICATE----- block)`;
  const certificates: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    if (block.label !== 'CERTIFICATE') return `${field}: PEM block ${i + 1} is a ${block.label}, not a CERTIFICATE`;
    try {
      certificates.push(new X509Certificate(block.pem));
    } catch {
      return `${field}: PEM block ${i + 1} does not parse as an X.509 certificate`;
    }
  }
  return certificates;
}

function privateKeyOf(text: string, field: string): KeyObject | string {
  if (text.length > MAX_PEM_CHARS) return `${field}: longer than ${MAX_PEM_CHARS} characters`;
  const blocks = blocksOf(text);
  if (blocks.length !== 1 || !/PRIVATE KEY$/.test(blocks[0].label)) return `${field}: not one PEM private key (-----BEGIN PRIVATE KEY-----, or RSA or EC PRIVATE KEY)`;
  if (blocks[0].label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(blocks[0].pem)) return `${field}: an encrypted key cannot be used (the hub has no passphrase): give it unencrypted`;
  try {
    return createPrivateKey(blocks[0].pem);
  } catch {
    return `${field}: does not parse as a private key`;
  }
}

/** A certificate's subject as RFC 4514 prints it: leaf attribute first, commas in values escaped. */
export function subjectOf(certificate: X509Certificate): string {
  return certificate.subject
    .split('\n')
    .filter(Boolean)
    .reverse()
    .map((attribute) => attribute.replace(/,/g, '\\,'))
    .join(',');
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Reads a `tls` input: the certificate (a leaf, optionally followed by its chain), its private key
 * and an optional CA bundle, all PEM. Why it is refused, naming the field and never quoting a key;
 * else what the hub keeps. `now` (ms) refuses a certificate that has already expired.
 */
export function readClientCertificate(input: { certificate: string; privateKey: string; ca?: string }, now: number): ListenerTls | string {
  const chain = certificatesOf(input.certificate, 'tls.certificate');
  if (typeof chain === 'string') return chain;
  const key = privateKeyOf(input.privateKey, 'tls.privateKey');
  if (typeof key === 'string') return key;
  const [leaf] = chain;
  if (!leaf.checkPrivateKey(key)) return 'tls.privateKey: does not match the certificate (tls.certificate) it is given with';
  const notAfter = Date.parse(leaf.validTo);
  if (notAfter <= now) return `tls.certificate: expired on ${new Date(notAfter).toISOString()}`;
  let caFingerprint: string | undefined;
  if (input.ca !== undefined) {
    const ca = certificatesOf(input.ca, 'tls.ca');
    if (typeof ca === 'string') return ca;
    caFingerprint = sha256(input.ca);
  }
  return {
    certificate: input.certificate,
    privateKey: input.privateKey,
    ...(input.ca !== undefined ? { ca: input.ca, caFingerprint } : {}),
    fingerprint: leaf.fingerprint256,
    subject: subjectOf(leaf),
    notAfter,
  };
}
