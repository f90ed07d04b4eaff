import { loadConfig } from '../../src/config';
import { composeHub } from '../../src/compose-hub';
import { createLogger } from '../../src/logger';
import { sharedApi } from '../helpers/test-app';
import { memoryStores } from '../helpers/test-stores';

// Loading the verifier (and with it the JWT library) fails this file: only HUB_OIDC_ISSUER may load it.
jest.mock('../../src/access/oidc-verifier', () => {
  throw new Error('the token verifier was loaded');
});

describe('the OAuth2 token verifier (jose)', () => {
  const build = async (env: Record<string, string>) =>
    composeHub({ config: { ...loadConfig(env), logLevel: 'silent' }, logger: createLogger('silent'), stores: memoryStores(), api: await sharedApi(1000) });

  it('should not be loaded without HUB_OIDC_ISSUER, with API keys', async () => {
    const hub = await build({ HUB_API_KEYS: 'a-key-of-the-test' });
    await hub.stop(0);
  });

  it('should be loaded with it', async () => {
    await expect(build({ HUB_OIDC_ISSUER: 'http://127.0.0.1:9/realms/x', HUB_OIDC_AUDIENCE: 'tmf688-hub' })).rejects.toThrow('the token verifier was loaded');
  });
});
