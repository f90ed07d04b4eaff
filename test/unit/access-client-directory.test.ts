import { ClientDirectory } from '../../src/access/client-directory';
import { apiKeyClients, parseClientsFile, sha256Hex } from '../../src/access/clients-file';

const FILE = parseClientsFile(
  JSON.stringify({
    clients: [
      { name: 'order-manager', keySha256: sha256Hex('om-key'), roles: ['publisher'], topics: ['orders', 'orders.*'], quota: { publishPerSecond: 200, hubs: 20 } },
      { name: 'billing', certificateSubject: 'CN=billing,O=Example CSP', roles: ['subscriber'] },
      { name: 'assurance', oidcClientId: 'assurance-svc', key: 'as-key', roles: ['reader'], topics: ['alarms'] },
    ],
  }),
).clients;

describe('ClientDirectory', () => {
  const directory = new ClientDirectory([...FILE, ...apiKeyClients(['legacy-key'])]);

  it.each<[string, string, unknown]>([
    ['a file key', 'om-key', { name: 'order-manager', roles: ['publisher'], topics: ['orders', 'orders.*'], quota: { publishPerSecond: 200, hubs: 20 }, authenticatedBy: 'key' }],
    ['a plain file key of an entry that also has a client id', 'as-key', { name: 'assurance', roles: ['reader'], topics: ['alarms'], quota: {}, authenticatedBy: 'key' }],
    ['a HUB_API_KEYS key', 'legacy-key', { name: 'api-key-1', roles: ['admin'], quota: {}, authenticatedBy: 'key' }],
    ['an unknown key', 'nope', undefined],
    ['a key with a space added', 'om-key ', undefined],
    ['the digest of a key presented as the key', sha256Hex('om-key'), undefined],
    ['an empty key', '', undefined],
  ])('should find by %s', (_case, key, expected) => {
    expect(directory.byKey(key)).toEqual(expected);
  });

  it.each<[string, Record<string, string | string[]>, string | undefined]>([
    ['the subject of an entry', { C: 'DE', O: 'Example CSP', CN: 'billing' }, undefined],
    ['the exact subject, in Node order', { O: 'Example CSP', CN: 'billing' }, 'billing'],
    ['another CN', { O: 'Example CSP', CN: 'billing2' }, undefined],
    ['an empty subject', {}, undefined],
  ])('should find a certificate by %s', (_case, subject, name) => {
    const found = directory.byCertificate(subject);
    expect(found?.name).toBe(name);
    if (found) expect(found.authenticatedBy).toBe('certificate');
  });

  it('should find an entry by its oidcClientId, and nothing by a name', () => {
    expect(directory.byOidcClientId('assurance-svc')?.name).toBe('assurance');
    expect(directory.byOidcClientId('assurance')).toBeUndefined();
  });

  it('should hand out frozen principals (a request cannot change the next one)', () => {
    expect(Object.isFrozen(directory.byKey('om-key'))).toBe(true);
  });

  it.each<[string, string, string[], RegExp]>([
    ['an entry named like a HUB_API_KEYS client', 'api-key-1', ['k1'], /^HUB_CLIENTS_FILE with HUB_API_KEYS: HUB_API_KEYS\[0\]: the same name as clients\[0\] \(api-key-1\)$/],
    ['a HUB_API_KEYS key that is also a file key', 'ops', ['x', 'file-key'], /^HUB_CLIENTS_FILE with HUB_API_KEYS: HUB_API_KEYS\[1\]: the same API key as clients\[0\] \(ops\)$/],
  ])('should refuse %s', (_case, name, keys, message) => {
    const file = parseClientsFile(JSON.stringify({ clients: [{ name, key: 'file-key', roles: ['reader'] }] })).clients;
    expect(() => new ClientDirectory([...file, ...apiKeyClients(keys)])).toThrow(message);
  });
});
