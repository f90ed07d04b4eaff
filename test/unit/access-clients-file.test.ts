import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyClients, parseClientsFile, readClientsFile, sha256Hex, ClientsFileError } from '../../src/access/clients-file';

const KEY = 'order-manager-key-0123456789';
const DIGEST = sha256Hex(KEY);

const ISSUE_EXAMPLE = `
clients:
  - name: order-manager
    keySha256: ${DIGEST.toUpperCase()}
    roles: [publisher]
    topics: ["orders", "orders.*"]
    quota: { publishPerSecond: 200, hubs: 20 }
  - name: billing
    certificateSubject: "CN=billing,O=Example CSP"
    roles: [subscriber]
  - name: assurance
    oidcClientId: assurance-svc
    roles: [reader, publisher, reader]
    topics: ["alarms"]
    quota: { publishPerSecond: 50 }
`;

/** The message of parsing a file with one entry (plus `extra` top-level YAML, if any). */
function refusal(entry: Record<string, unknown>): string {
  try {
    parseClientsFile(JSON.stringify({ clients: [{ name: 'ok', key: 'k', roles: ['reader'] }, entry] }), 'clients.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ClientsFileError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('parseClientsFile', () => {
  it('should read the example of the issue (YAML) into entries without plain keys', () => {
    const { clients, warnings } = parseClientsFile(ISSUE_EXAMPLE);
    expect(warnings).toEqual([]);
    expect(clients).toEqual([
      { label: 'clients[0] (order-manager)', name: 'order-manager', roles: ['publisher'], topics: ['orders', 'orders.*'], quota: { publishPerSecond: 200, hubs: 20 }, keySha256: DIGEST },
      { label: 'clients[1] (billing)', name: 'billing', roles: ['subscriber'], quota: {}, certificateSubject: { text: 'CN=billing,O=Example CSP', key: expect.any(String) } },
      { label: 'clients[2] (assurance)', name: 'assurance', roles: ['reader', 'publisher'], topics: ['alarms'], quota: { publishPerSecond: 50 }, oidcClientId: 'assurance-svc' },
    ]);
  });

  it('should read the same as JSON', () => {
    const json = JSON.stringify({ clients: [{ name: 'a', keySha256: DIGEST, roles: ['admin'], quota: { hubs: 0 } }] });
    expect(parseClientsFile(json).clients).toEqual([{ label: 'clients[0] (a)', name: 'a', roles: ['admin'], quota: { hubs: 0 }, keySha256: DIGEST }]);
  });

  it('should accept a plain key with a warning that names the entry but not the key', () => {
    const { clients, warnings } = parseClientsFile(`clients:\n  - name: legacy\n    key: ${KEY}\n    roles: [admin]\n`);
    expect(clients[0].keySha256).toBe(DIGEST);
    expect(JSON.stringify(clients)).not.toContain(KEY);
    expect(warnings).toEqual(['clients[0] (legacy): key is given in plain text; write keySha256 (its SHA-256 in hex) instead']);
  });

  it('should accept an empty list (no client may pass)', () => {
    expect(parseClientsFile('clients: []\n')).toEqual({ clients: [], warnings: [] });
  });

  it.each<[string, string, RegExp]>([
    ['not YAML, with the position only', 'clients: [\n  - name: "x\n', /^f\.yaml: not YAML or JSON \(line \d+, column \d+\)$/],
    ['two documents', 'clients: []\n---\nclients: []\n', /not YAML or JSON/],
    ['a duplicate key in a mapping', 'clients: []\nclients: []\n', /not YAML or JSON/],
    ['no clients list', 'client: []\n', /^f\.yaml: clients: a list of clients is required at the top level$/],
    ['clients not a list', 'clients: {name: a}\n', /clients: a list of clients is required/],
    ['an empty file', '', /clients: a list of clients is required/],
    ['an unknown top-level field', 'clients: []\nadmins: []\n', /^f\.yaml: admins: unknown field/],
  ])('should refuse a file with %s', (_case, text, message) => {
    expect(() => parseClientsFile(text, 'f.yaml')).toThrow(message);
  });

  it('should not quote a line of an unreadable file (it may hold a key)', () => {
    const secret = 'sk-live-abcdef0123456789';
    expect(() => parseClientsFile(`clients:\n  - name: a\n    key: "${secret}\n`, 'f.yaml')).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secret) }));
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a scalar entry', 'x' as unknown as Record<string, unknown>, /^clients\.yaml: clients\[1\]: an entry is a mapping/],
    ['no name', { key: 'k2', roles: ['reader'] }, /^clients\.yaml: clients\[1\]: name: 1-100 letters/],
    ['a name with a colon (the oidc: names)', { name: 'oidc:x', key: 'k2', roles: ['reader'] }, /clients\[1\]: name:/],
    ['a name with a space', { name: 'a b', key: 'k2', roles: ['reader'] }, /clients\[1\]: name:/],
    ['the open hub\'s name', { name: 'anonymous', key: 'k2', roles: ['reader'] }, /clients\[1\] \(anonymous\): name: "anonymous" is the hub's own \(reserved: anonymous, unauthenticated\)/],
    ['the audit trail\'s name for a refused credential, in capitals', { name: 'Unauthenticated', key: 'k2', roles: ['reader'] }, /clients\[1\] \(Unauthenticated\): name: "Unauthenticated" is the hub's own/],
    ['a name too long', { name: 'a'.repeat(101), key: 'k2', roles: ['reader'] }, /clients\[1\]: name:/],
    ['an unknown field (a typo)', { name: 'b', key: 'k2', roles: ['reader'], topic: ['x'] }, /^clients\.yaml: clients\[1\] \(b\): topic: unknown field \(known: name, keySha256/],
    ['two unknown fields', { name: 'b', key: 'k2', roles: ['reader'], a: 1, c: 2 }, /clients\[1\] \(b\): a, c: unknown fields/],
    ['no roles', { name: 'b', key: 'k2' }, /clients\[1\] \(b\): roles: a list of one or more of reader, publisher, subscriber, admin/],
    ['empty roles', { name: 'b', key: 'k2', roles: [] }, /clients\[1\] \(b\): roles: a list/],
    ['roles as a string', { name: 'b', key: 'k2', roles: 'admin' }, /clients\[1\] \(b\): roles: a list/],
    ['an unknown role', { name: 'b', key: 'k2', roles: ['reader', 'writer'] }, /clients\[1\] \(b\): roles: "writer" is not a role \(reader, publisher, subscriber, admin\)/],
    ['a role in capitals', { name: 'b', key: 'k2', roles: ['Admin'] }, /roles: "Admin" is not a role/],
    ['topics not a list', { name: 'b', key: 'k2', roles: ['reader'], topics: 'orders' }, /clients\[1\] \(b\): topics: a list of topic names/],
    ['empty topics', { name: 'b', key: 'k2', roles: ['reader'], topics: [] }, /topics: a list of topic names, exact or "<prefix>\.\*" \(leave it out for every topic\)/],
    ['a bad scope', { name: 'b', key: 'k2', roles: ['reader'], topics: ['orders', 'or*'] }, /clients\[1\] \(b\): topics: topic scope "or\*": "\*" may only end a scope/],
    ['topics on an admin', { name: 'b', key: 'k2', roles: ['admin'], topics: ['orders'] }, /clients\[1\] \(b\): topics: an admin is not scoped to topics/],
    ['a quota that is not a mapping', { name: 'b', key: 'k2', roles: ['reader'], quota: 5 }, /clients\[1\] \(b\): quota: a mapping/],
    ['an unknown quota field', { name: 'b', key: 'k2', roles: ['reader'], quota: { perSecond: 5 } }, /clients\[1\] \(b\): quota: perSecond: unknown field \(known: publishPerSecond, hubs\)/],
    ['a zero rate', { name: 'b', key: 'k2', roles: ['reader'], quota: { publishPerSecond: 0 } }, /quota\.publishPerSecond: a number above 0/],
    ['a rate as text', { name: 'b', key: 'k2', roles: ['reader'], quota: { publishPerSecond: '5' } }, /quota\.publishPerSecond: a number above 0/],
    ['a fractional hubs cap', { name: 'b', key: 'k2', roles: ['reader'], quota: { hubs: 1.5 } }, /quota\.hubs: a whole number, 0 or more/],
    ['a negative hubs cap', { name: 'b', key: 'k2', roles: ['reader'], quota: { hubs: -1 } }, /quota\.hubs: a whole number/],
    ['both key and keySha256', { name: 'b', key: 'k2', keySha256: DIGEST, roles: ['reader'] }, /clients\[1\] \(b\): key: give keySha256 or key, not both/],
    ['a keySha256 too short', { name: 'b', keySha256: DIGEST.slice(1), roles: ['reader'] }, /clients\[1\] \(b\): keySha256: 64 hex digits/],
    ['a keySha256 not hex', { name: 'b', keySha256: 'g'.repeat(64), roles: ['reader'] }, /keySha256: 64 hex digits/],
    ['an empty plain key', { name: 'b', key: ' ', roles: ['reader'] }, /clients\[1\] \(b\): key: a non-empty string/],
    ['a plain key as a number', { name: 'b', key: 1234, roles: ['reader'] }, /key: a non-empty string/],
    ['an empty subject', { name: 'b', certificateSubject: '', roles: ['reader'] }, /clients\[1\] \(b\): certificateSubject: a subject such as/],
    ['an unreadable subject', { name: 'b', certificateSubject: 'billing', roles: ['reader'] }, /clients\[1\] \(b\): certificateSubject: "billing" has no "="/],
    ['an empty oidcClientId', { name: 'b', oidcClientId: '', roles: ['reader'] }, /clients\[1\] \(b\): oidcClientId: a non-empty string/],
    ['no credential at all', { name: 'b', roles: ['reader'] }, /clients\[1\] \(b\): no credential: give keySha256 \(or key\), certificateSubject or oidcClientId/],
    ['the name of the entry before it', { name: 'ok', key: 'k2', roles: ['reader'] }, /^clients\.yaml: clients\[1\] \(ok\): the same name as clients\[0\] \(ok\)$/],
    ['the key of the entry before it', { name: 'b', key: 'k', roles: ['reader'] }, /^clients\.yaml: clients\[1\] \(b\): the same API key as clients\[0\] \(ok\)$/],
  ])('should refuse an entry with %s, naming the entry and the field', (_case, entry, message) => {
    expect(refusal(entry)).toMatch(message);
  });

  it('should never echo a value given as keySha256 (it may be a key in the wrong field)', () => {
    const pasted = 'my-plain-api-key-that-is-not-a-digest';
    expect(refusal({ name: 'b', keySha256: pasted, roles: ['reader'] })).not.toContain(pasted);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, RegExp]>([
    ['a subject written differently', { name: 'a', certificateSubject: 'CN=billing,O=Example CSP', roles: ['reader'] }, { name: 'b', certificateSubject: 'o=Example CSP, cn=billing', roles: ['reader'] }, /clients\[1\] \(b\): the same certificateSubject as clients\[0\] \(a\)/],
    ['an oidcClientId', { name: 'a', oidcClientId: 'svc', roles: ['reader'] }, { name: 'b', oidcClientId: 'svc', roles: ['reader'] }, /clients\[1\] \(b\): the same oidcClientId as clients\[0\] \(a\)/],
    ['a key given once plain and once hashed', { name: 'a', key: KEY, roles: ['reader'] }, { name: 'b', keySha256: DIGEST, roles: ['reader'] }, /clients\[1\] \(b\): the same API key as clients\[0\] \(a\)/],
  ])('should refuse two entries sharing %s', (_case, first, second, message) => {
    expect(() => parseClientsFile(JSON.stringify({ clients: [first, second] }))).toThrow(message);
  });
});

describe('readClientsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tmf688-clients-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should read a file and name it in its messages', () => {
    const path = join(dir, 'clients.yaml');
    writeFileSync(path, ISSUE_EXAMPLE);
    expect(readClientsFile(path).clients.map((c) => c.name)).toEqual(['order-manager', 'billing', 'assurance']);
    writeFileSync(path, 'clients:\n  - name: x\n    roles: [root]\n');
    expect(() => readClientsFile(path)).toThrow(`HUB_CLIENTS_FILE (${path}): clients[0] (x): roles: "root" is not a role`);
  });

  it.each<[string, string, RegExp]>([
    ['a missing file', 'nope.yaml', /^HUB_CLIENTS_FILE \(.*nope\.yaml\): cannot be read: ENOENT$/],
    ['a directory', '.', /^HUB_CLIENTS_FILE \(.*\): cannot be read: EISDIR$/],
  ])('should refuse %s', (_case, name, message) => {
    expect(() => readClientsFile(join(dir, name))).toThrow(message);
  });
});

describe('apiKeyClients', () => {
  it('should make each HUB_API_KEYS key an admin named by its place, holding only its digest', () => {
    const clients = apiKeyClients(['first-key', 'second-key']);
    expect(clients).toEqual([
      { label: 'HUB_API_KEYS[0]', name: 'api-key-1', roles: ['admin'], quota: {}, keySha256: sha256Hex('first-key') },
      { label: 'HUB_API_KEYS[1]', name: 'api-key-2', roles: ['admin'], quota: {}, keySha256: sha256Hex('second-key') },
    ]);
    expect(JSON.stringify(clients)).not.toMatch(/first-key|second-key/);
  });

  it('should make nothing of no keys', () => {
    expect(apiKeyClients([])).toEqual([]);
  });
});
