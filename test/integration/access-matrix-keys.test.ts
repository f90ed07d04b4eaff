import { createHash } from 'node:crypto';
import { describeAccessMatrix, type MatrixCredential, type MatrixRole } from '../helpers/access-matrix';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';

/** The matrix with API keys from HUB_CLIENTS_FILE (as SHA-256, one in plain text) and HUB_API_KEYS. */
const KEYS = { publisher: 'om-key-0123456789abcdef', subscriberA: 'billing-key-0123456789ab', subscriberB: 'assurance-key-0123456789', admin: 'ops-key-0123456789abcdef' };
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
let file: TestClientsFile;

beforeAll(() => {
  file = writeClientsFile([
    { name: 'order-manager', keySha256: sha256(KEYS.publisher), roles: ['publisher'], topics: ['orders', 'orders.*'] },
    { name: 'billing', keySha256: sha256(KEYS.subscriberA), roles: ['subscriber'] },
    { name: 'assurance', key: KEYS.subscriberB, roles: ['subscriber'] },
  ]);
});
afterAll(() => file?.remove());

describeAccessMatrix('API keys from HUB_CLIENTS_FILE', () => ({
  config: { clientsFile: file.path, apiKeys: [KEYS.admin] },
  credentials: async () => {
    const bearer = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });
    return {
      // The WebSocket stream gets this key as a subprotocol, as a browser sends it.
      publisher: { name: 'order-manager', ...bearer(KEYS.publisher), wsProtocols: ['tmf688.json', `bearer.${KEYS.publisher}`] },
      subscriberA: { name: 'billing', ...bearer(KEYS.subscriberA) },
      subscriberB: { name: 'assurance', ...bearer(KEYS.subscriberB) },
      admin: { name: 'api-key-1', ...bearer(KEYS.admin) },
    } satisfies Record<MatrixRole, MatrixCredential>;
  },
  secrets: () => Object.values(KEYS).flatMap((key) => [key, sha256(key)]),
}));
