/**
 * Client-certificate identity: a verified peer certificate's subject, matched to a clients-file
 * entry's `certificateSubject`.
 *
 * Normalisation (the same on both sides, so "CN=billing,O=Example CSP" matches):
 * - the subject is the set of its attributes: their order does not matter (a file writes
 *   "CN=..,O=.." the way RFC 4514 prints, leaf first, while certificates and Node list them root
 *   first), and repeated attributes (two OU) count each;
 * - attribute types are Node's (OpenSSL's short names: C, ST, L, O, OU, CN, emailAddress, DC, ...
 *   or a dotted OID) compared without case ("cn=billing" is "CN=billing"); no aliases (E is not
 *   emailAddress);
 * - values are compared exactly, case included, after trimming and collapsing runs of white space
 *   to one space (RFC 4518's insignificant space); "CN = billing , O=Example CSP" is accepted;
 * - in the file's text, "," and "+" separate attributes (a multi-valued RDN is flattened like the
 *   rest) and a backslash escapes the next character or two hex digits (RFC 4514: "O=Example\, Inc").
 * Any attribute the certificate has and the entry does not name (or the reverse) is a mismatch:
 * the entry names the whole subject.
 */

/** Node's `getPeerCertificate().subject`: repeated attributes come as arrays. */
export type PeerSubject = Readonly<Record<string, string | readonly string[] | undefined>>;

type Attribute = readonly [type: string, value: string];

const TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;

const normalValue = (value: string) => value.trim().replace(/\s+/g, ' ');

/** The attributes of a peer certificate's subject, in Node's order. */
function peerAttributes(subject: PeerSubject): Attribute[] {
  const attributes: Attribute[] = [];
  for (const [type, value] of Object.entries(subject)) {
    if (value === undefined) continue;
    for (const one of typeof value === 'string' ? [value] : value) attributes.push([type, one]);
  }
  return attributes;
}

/** The canonical form both sides are compared in (a Map key): sorted TYPE=value pairs. */
function canonical(attributes: readonly Attribute[]): string {
  return JSON.stringify(attributes.map(([type, value]) => [type.toUpperCase(), normalValue(value)]).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)));
}

/** The canonical key of a verified peer certificate's subject; undefined when it has no attribute. */
export function peerSubjectKey(subject: PeerSubject): string | undefined {
  const attributes = peerAttributes(subject);
  return attributes.length ? canonical(attributes) : undefined;
}

const ESCAPED = /[,+"\\<>;=#]/g;
const escapeValue = (value: string) => value.replace(ESCAPED, (c) => `\\${c}`);

/** A peer subject as text for logs and messages, e.g. "CN=billing,O=Example CSP" (leaf first, RFC 4514 escaping). */
export function peerSubjectText(subject: PeerSubject): string {
  return peerAttributes(subject)
    .reverse()
    .map(([type, value]) => `${type}=${escapeValue(value)}`)
    .join(',');
}

/** Splits on unescaped "," and "+", unescaping `\x` and `\HH` (UTF-8 bytes); a string is the problem. */
function splitSubject(text: string): string[][] | string {
  const parts: string[][] = [];
  let type = '';
  let value: number[] | undefined; // bytes of the value once "=" was seen
  const encoder = new TextEncoder();
  const finish = (): string | undefined => {
    if (value === undefined) return `"${type.trim() || text}" has no "="`;
    parts.push([type.trim(), new TextDecoder().decode(new Uint8Array(value))]);
    type = '';
    value = undefined;
    return undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (value === undefined) return 'an attribute type has a backslash';
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 1, i + 3));
      if (hex) {
        value.push(parseInt(hex[0], 16));
        i += 2;
      } else if (i + 1 < text.length) {
        value.push(...encoder.encode(text[++i]));
      } else return 'it ends with a lone backslash';
    } else if (c === ',' || c === '+') {
      const problem = finish();
      if (problem) return problem;
    } else if (c === '=' && value === undefined) {
      value = [];
    } else if (value === undefined) {
      type += c;
    } else {
      value.push(...encoder.encode(c));
    }
  }
  return finish() ?? parts;
}

/**
 * The canonical key of a subject as a clients file writes it ("CN=billing,O=Example CSP"), or
 * the reason it cannot be read (as `{ problem }`).
 */
export function subjectKeyOf(text: string): { key: string } | { problem: string } {
  const parts = splitSubject(text);
  if (typeof parts === 'string') return { problem: parts };
  for (const [type, value] of parts) {
    if (!TYPE.test(type)) return { problem: `"${type}" is not an attribute type (CN, O, OU, C, ... or a dotted OID)` };
    if (normalValue(value) === '') return { problem: `${type} has an empty value` };
  }
  return { key: canonical(parts as unknown as Attribute[]) };
}
