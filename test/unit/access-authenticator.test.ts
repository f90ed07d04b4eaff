import { Authenticator, type Authentication, type CredentialSources } from '../../src/access/authenticator';
import { ClientDirectory, type VerifiedPeer } from '../../src/access/client-directory';
import { apiKeyClients, parseClientsFile, sha256Hex } from '../../src/access/clients-file';
import type { TokenResult } from '../../src/access/oidc-verifier';
import { OPEN_PRINCIPAL, type Principal } from '../../src/access/principal';

const directory = new ClientDirectory([
  ...parseClientsFile(
    JSON.stringify({
      clients: [
        { name: 'order-manager', keySha256: sha256Hex('om-key'), roles: ['publisher'], topics: ['orders'] },
        { name: 'billing', certificateSubject: 'CN=billing,O=Example CSP', roles: ['subscriber'] },
      ],
    }),
  ).clients,
  ...apiKeyClients(['legacy-key-0123456789']),
]);

/** A token of this shape is valid; `expired.` ones are refused; `away.` ones meet an issuer that is away. */
const TOKEN_PRINCIPAL: Principal = { name: 'oidc:svc', roles: ['reader'], quota: {}, authenticatedBy: 'token' };
const verifier = {
  calls: [] as string[],
  async verify(token: string): Promise<TokenResult> {
    this.calls.push(token);
    if (token.startsWith('expired.')) return { failure: { kind: 'invalid', description: 'The token has expired' } };
    if (token.startsWith('away.')) return { failure: { kind: 'unavailable', description: "The issuer's keys could not be fetched" } };
    return { principal: TOKEN_PRINCIPAL };
  },
};

const peer = (authorized: boolean, subject: Record<string, string>): VerifiedPeer => ({ authorized, getPeerCertificate: () => ({ subject }) });
const BILLING = peer(true, { O: 'Example CSP', CN: 'billing' });
const STRANGER = peer(true, { O: 'Example CSP', CN: 'someone' });
const UNVERIFIED_BILLING = peer(false, { O: 'Example CSP', CN: 'billing' });

const ALL: CredentialSources = { open: false, directory, verifier, certificates: true };
const KEYS_ONLY: CredentialSources = { open: false, directory, certificates: false };

const name = (result: Authentication) => result.principal?.name;

describe('Authenticator', () => {
  beforeEach(() => (verifier.calls = []));

  // Every row has all five values: a shorter row would hand the test jest's done callback.
  it.each<[string, CredentialSources, { bearer?: string; peer?: VerifiedPeer }, string | undefined, Record<string, string> | undefined]>([
    ['a file key', ALL, { bearer: 'om-key' }, 'order-manager', undefined],
    ['a HUB_API_KEYS key', ALL, { bearer: 'legacy-key-0123456789' }, 'api-key-1', undefined],
    ['a token', ALL, { bearer: 'a.b.c' }, 'oidc:svc', undefined],
    ['a verified certificate an entry names', ALL, { peer: BILLING }, 'billing', undefined],
    // The bearer decides alone: a good certificate does not rescue a wrong key.
    ['a wrong key over a good certificate', ALL, { bearer: 'wrong', peer: BILLING }, undefined, { kind: 'invalid' }],
    ['a good key over a good certificate of another client', ALL, { bearer: 'om-key', peer: BILLING }, 'order-manager', undefined],
    ['an expired token', ALL, { bearer: 'expired.b.c' }, undefined, { kind: 'invalid', description: 'The token has expired' }],
    ['a token whose issuer is away', ALL, { bearer: 'away.b.c' }, undefined, { kind: 'unavailable' }],
    ['a bearer that is neither a key nor shaped like a token', ALL, { bearer: 'not-a-jwt' }, undefined, { kind: 'invalid', description: 'The bearer credential is neither a valid API key nor a token' }],
    ['a JWT-shaped bearer without an issuer configured', KEYS_ONLY, { bearer: 'a.b.c' }, undefined, { kind: 'invalid', description: 'The API key is not valid' }],
    ['nothing', ALL, {}, undefined, { kind: 'missing', description: 'A credential is required: Authorization: Bearer <an API key or a token>, or a client certificate' }],
    ['nothing, keys only', KEYS_ONLY, {}, undefined, { kind: 'missing', description: 'A credential is required: Authorization: Bearer <an API key>' }],
    ['a verified certificate no entry names', ALL, { peer: STRANGER }, undefined, { kind: 'missing', description: 'The client certificate names no client of this hub, and no bearer credential was sent' }],
    ['an unverified certificate with an entry\'s subject', ALL, { peer: UNVERIFIED_BILLING }, undefined, { kind: 'missing' }],
    ['a verified certificate when HUB_TLS_CLIENT_CA is not set', KEYS_ONLY, { peer: BILLING }, undefined, { kind: 'missing' }],
  ])('should authenticate %s', async (_case, sources, presented, principal, refusal) => {
    const result = await new Authenticator(sources).authenticate(presented);
    expect(name(result)).toBe(principal);
    if (refusal) expect(result.refusal).toMatchObject(refusal);
    else expect(result.refusal).toBeUndefined();
  });

  it('should let everyone in as the open principal when no source is configured, whatever is presented', async () => {
    const open = new Authenticator({ open: true, directory: new ClientDirectory([]), certificates: false });
    expect(open.open).toBe(true);
    for (const presented of [{}, { bearer: 'anything' }, { peer: STRANGER }]) expect((await open.authenticate(presented)).principal).toBe(OPEN_PRINCIPAL);
  });

  it('should ask the verifier only for a bearer that is no API key and has the shape of a JWT', async () => {
    const authenticator = new Authenticator(ALL);
    for (const bearer of ['om-key', 'not-a-jwt', 'a.b', 'a.b.c']) await authenticator.authenticate({ bearer });
    expect(verifier.calls).toEqual(['a.b.c']);
  });

  it('should look a connection\'s certificate up once, however many requests it carries', async () => {
    let reads = 0;
    const counted: VerifiedPeer = { authorized: true, getPeerCertificate: () => (reads++, { subject: { O: 'Example CSP', CN: 'billing' } }) };
    const authenticator = new Authenticator(ALL);
    for (let i = 0; i < 3; i++) expect(name(await authenticator.authenticate({ peer: counted }))).toBe('billing');
    expect(reads).toBe(1);
  });
});
