import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeClientsFile, type TestClientsFile } from '../helpers/clients-file';
import { httpCall } from '../helpers/http-call';
import { runHubToExit, startHubProcess, type HubProcess } from '../helpers/start-hub-process';
import { TestCertificates, type KeyAndCertificate } from '../helpers/test-certificates';
import { openWs } from '../helpers/ws-client';

const API = '/tmf-api/event/v4';

/**
 * The built hub (what npm start runs) with HTTPS and client certificates: the server main.ts makes,
 * the TLS handshake refusing clients without a verified certificate when required, the WebSocket
 * upgrade on the https server, and the start stopping on a bad clients file or bad TLS files.
 */
describe('the hub process with TLS and access control', () => {
  let pki: TestCertificates;
  let file: TestClientsFile;
  let env: Record<string, string>;
  let billing: KeyAndCertificate;
  let stranger: KeyAndCertificate;
  const hubs: HubProcess[] = [];
  const files: TestClientsFile[] = [];
  const KEY = 'ops-key-0123456789abcdef';

  beforeAll(() => {
    pki = TestCertificates.create();
    const server = pki.server();
    const write = (name: string, text: string) => {
      writeFileSync(join(pki.dir, name), text);
      return join(pki.dir, name);
    };
    billing = pki.client([['O', 'Example CSP'], ['CN', 'billing']]);
    stranger = TestCertificates.create('not trusted').client([['O', 'Example CSP'], ['CN', 'billing']]);
    file = writeClientsFile([
      { name: 'billing', certificateSubject: 'CN=billing,O=Example CSP', roles: ['admin'] },
      { name: 'ops', key: KEY, roles: ['reader'] },
    ]);
    env = { HUB_TLS_CERT: write('hub.crt', server.cert), HUB_TLS_KEY: write('hub.key', server.key), HUB_TLS_CLIENT_CA: write('ca.crt', pki.ca.cert), HUB_CLIENTS_FILE: file.path };
  });

  afterEach(async () => {
    for (const hub of hubs.splice(0)) {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  });
  afterAll(() => {
    pki.remove();
    for (const written of [file, ...files]) written.remove();
  });

  const start = async (more: Record<string, string>) => {
    const hub = await startHubProcess({ ...env, ...more });
    hubs.push(hub);
    return { hub, origin: `https://127.0.0.1:${hub.port}` };
  };

  it('should refuse a client without a verified certificate at the handshake when required, and serve one with it (REST and WebSocket)', async () => {
    const { hub, origin } = await start({ HUB_TLS_CLIENT_CERT: 'required' });
    expect(hub.output()).toMatch(/"clientCertificates":"required"/);
    expect(hub.output()).toContain(`"url":"https://127.0.0.1:${hub.port}/tmf-api/event/v4"`);
    // Even the probes: the handshake comes before any path.
    await expect(httpCall(`${origin}/health`, { tls: { ca: pki.ca.cert } })).rejects.toThrow();
    await expect(httpCall(`${origin}/health`, { tls: { ca: pki.ca.cert, ...stranger } })).rejects.toThrow();
    expect((await httpCall(`${origin}/health`, { tls: { ca: pki.ca.cert, ...billing } })).status).toBe(200);
    const created = await httpCall(`${origin}${API}/topic`, { method: 'POST', body: { name: 'orders' }, tls: { ca: pki.ca.cert, ...billing } });
    expect(created.status).toBe(201);
    expect(created.body.href).toBe(`${origin}${API}/topic/${created.body.id}`);
    const ws = await openWs(`wss://127.0.0.1:${hub.port}${API}/topic/${created.body.id}/event/stream`, { tls: { ca: pki.ca.cert, ...billing } });
    expect(ws.protocol).toBe('');
    ws.close();
    await ws.closed;
  });

  it('should let a client without a certificate in with a key when optional, and answer 401 without either', async () => {
    const { hub, origin } = await start({});
    expect(hub.output()).toMatch(/"clientCertificates":"optional"/);
    const tls = { ca: pki.ca.cert };
    expect((await httpCall(`${origin}/health`, { tls })).status).toBe(200);
    const none = await httpCall(`${origin}${API}/topic`, { tls });
    expect({ status: none.status, challenge: none.headers['www-authenticate'] }).toEqual({ status: 401, challenge: 'Bearer realm="tmf688-hub"' });
    expect((await httpCall(`${origin}${API}/topic`, { tls, headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(200);
    // A certificate from a CA the hub does not trust is let through the handshake, but is nobody.
    expect((await httpCall(`${origin}${API}/topic`, { tls: { ...tls, ...stranger } })).status).toBe(401);
    expect((await httpCall(`${origin}${API}/topic`, { tls: { ...tls, ...billing } })).status).toBe(200);
    // The reader's key wins over the admin certificate: creating a topic needs admin.
    const both = await httpCall(`${origin}${API}/topic`, { method: 'POST', body: { name: 'x' }, tls: { ...tls, ...billing }, headers: { Authorization: `Bearer ${KEY}` } });
    expect({ status: both.status, message: both.body.message }).toEqual({ status: 403, message: 'The client ops lacks the permission admin' });
  });

  it('should warn once at start when open on an address other than loopback, and not on loopback', async () => {
    const open = await startHubProcess({ HOST: '0.0.0.0' });
    hubs.push(open);
    expect(open.output().match(/Access control is off/g)).toHaveLength(1);
    const local = await startHubProcess({});
    hubs.push(local);
    expect(local.output()).not.toContain('Access control is off');
  });

  it.each<[string, () => Record<string, string>, RegExp]>([
    [
      'a clients file with a bad entry',
      () => {
        const bad = writeClientsFile([{ name: 'ok', key: 'k1', roles: ['reader'] }, { name: 'typo', key: 'k2', roles: ['reader'], topic: ['x'] }]);
        files.push(bad);
        return { HUB_CLIENTS_FILE: bad.path };
      },
      /^HUB_CLIENTS_FILE \(.*\): clients\[1\] \(typo\): topic: unknown field/m,
    ],
    ['an issuer without an audience', () => ({ HUB_OIDC_ISSUER: 'https://idp.example.com/realms/x' }), /^Invalid configuration: HUB_OIDC_AUDIENCE is required with HUB_OIDC_ISSUER/m],
    ['a certificate that is not PEM', () => ({ ...env, HUB_TLS_CERT: env.HUB_CLIENTS_FILE }), /^HUB_TLS_CERT \(.*\) and HUB_TLS_KEY \(.*\) cannot be used/m],
  ])('should stop at start on %s, saying what and where', async (_case, make, message) => {
    const { code, stderr } = await runHubToExit({ PORT: '0', HOST: '127.0.0.1', ...make() });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});
