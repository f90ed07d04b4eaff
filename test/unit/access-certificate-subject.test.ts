import { peerSubjectKey, peerSubjectText, subjectKeyOf, type PeerSubject } from '../../src/access/certificate-subject';

const keyOf = (text: string) => {
  const read = subjectKeyOf(text);
  if ('problem' in read) throw new Error(read.problem);
  return read.key;
};

describe('certificate subjects', () => {
  it.each<[string, string, PeerSubject, boolean]>([
    ['the same attributes, file leaf first, Node root first', 'CN=billing,O=Example CSP', { O: 'Example CSP', CN: 'billing' }, true],
    ['the same order', 'O=Example CSP,CN=billing', { O: 'Example CSP', CN: 'billing' }, true],
    ['spaces after commas and around "="', 'CN = billing, O = Example CSP', { O: 'Example CSP', CN: 'billing' }, true],
    ['attribute types in lower case', 'cn=billing,o=Example CSP', { O: 'Example CSP', CN: 'billing' }, true],
    ['runs of spaces inside a value', 'CN=billing,O=Example   CSP', { O: 'Example CSP', CN: 'billing' }, true],
    ['a value in another case', 'CN=Billing,O=Example CSP', { O: 'Example CSP', CN: 'billing' }, false],
    ['an attribute the file leaves out', 'CN=billing', { O: 'Example CSP', CN: 'billing' }, false],
    ['an attribute the certificate lacks', 'CN=billing,O=Example CSP,C=DE', { O: 'Example CSP', CN: 'billing' }, false],
    ['repeated attributes (Node gives an array)', 'CN=billing,OU=east,OU=ops,O=Example CSP', { O: 'Example CSP', OU: ['ops', 'east'], CN: 'billing' }, true],
    ['repeated attributes, one missing', 'CN=billing,OU=east,O=Example CSP', { O: 'Example CSP', OU: ['ops', 'east'], CN: 'billing' }, false],
    ['an escaped comma', 'CN=billing,O=Example\\, Inc', { O: 'Example, Inc', CN: 'billing' }, true],
    ['a hex escape (UTF-8)', 'CN=M\\C3\\BCller', { CN: 'Müller' }, true],
    ['a multi-valued RDN, flattened', 'CN=billing+UID=42,O=Example CSP', { O: 'Example CSP', CN: 'billing', UID: '42' }, true],
    ['an escaped plus', 'CN=a\\+b', { CN: 'a+b' }, true],
    ['an OID type', '2.5.4.97=VATDE-123,CN=billing', { CN: 'billing', '2.5.4.97': 'VATDE-123' }, true],
    ['emailAddress in any case', 'emailaddress=ops@example.com,CN=billing', { CN: 'billing', emailAddress: 'ops@example.com' }, true],
    ['no alias: E is not emailAddress', 'E=ops@example.com,CN=billing', { CN: 'billing', emailAddress: 'ops@example.com' }, false],
    ['a value that only looks like another attribute', 'CN=billing\\,O=x', { CN: 'billing', O: 'x' }, false],
  ])('should match %s: %s', (_case, text, subject, matches) => {
    expect(keyOf(text) === peerSubjectKey(subject)).toBe(matches);
  });

  it.each<[string, string, RegExp]>([
    ['no "="', 'billing', /"billing" has no "="/],
    ['an empty attribute between commas', 'CN=a,,O=b', /has no "="/],
    ['a trailing comma', 'CN=a,', /has no "="/],
    ['an empty value', 'CN=,O=b', /CN has an empty value/],
    ['an empty type', '=billing', /"" is not an attribute type/],
    ['a type with a space inside', 'Common Name=billing', /"Common Name" is not an attribute type/],
    ['a backslash in a type', 'C\\N=billing', /an attribute type has a backslash/],
    ['a lone backslash at the end', 'CN=billing\\', /lone backslash/],
  ])('should refuse a subject with %s', (_case, text, problem) => {
    const read = subjectKeyOf(text);
    expect('problem' in read && read.problem).toMatch(problem);
  });

  it.each<[string, PeerSubject, string | undefined]>([
    ['an empty subject has no key', {}, undefined],
    ['undefined attributes are skipped', { CN: undefined }, undefined],
  ])('should give %s', (_case, subject, expected) => {
    expect(peerSubjectKey(subject)).toBe(expected);
  });

  it.each<[string, PeerSubject, string]>([
    ['leaf first', { C: 'DE', O: 'Example CSP', CN: 'billing' }, 'CN=billing,O=Example CSP,C=DE'],
    ['with RFC 4514 escapes', { O: 'Example, Inc', CN: 'a+b' }, 'CN=a\\+b,O=Example\\, Inc'],
    ['repeated attributes', { OU: ['ops', 'east'], CN: 'x' }, 'CN=x,OU=east,OU=ops'],
  ])('should print a subject %s', (_case, subject, text) => {
    expect(peerSubjectText(subject)).toBe(text);
    expect(keyOf(text)).toBe(peerSubjectKey(subject));
  });
});
