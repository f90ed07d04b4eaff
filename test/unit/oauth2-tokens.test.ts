import type { OAuth2Auth } from '../../src/credentials/listener-credentials';
import { OAuth2Tokens, TOKEN_DEFAULT_LIFETIME_MS, TOKEN_EARLY_MS } from '../../src/delivery/oauth2-tokens';
import type { TokenAnswer } from '../../src/delivery/token-request';

const AUTH: OAuth2Auth = { type: 'oauth2', tokenUrl: 'https://sso.example/token', clientId: 'hub', clientSecret: 's' };

/** The token an answer carries, or its error. */
const got = async (answer: Promise<TokenAnswer>): Promise<string> => {
  const a = await answer;
  return 'token' in a ? a.token : a.error;
};

/** A token cache over a fake endpoint that answers `answers` in turn (then numbered tokens), with a clock the test moves. */
function setup(answers: TokenAnswer[] = []) {
  let now = 1_000_000;
  let issued = 0;
  const asked: OAuth2Auth[] = [];
  const tokens = new OAuth2Tokens(async (auth) => {
    asked.push(auth);
    return answers.shift() ?? { token: `t${++issued}`, lifetimeMs: 3_600_000 };
  }, () => now);
  return { tokens, asked, advance: (ms: number) => (now += ms) };
}

describe('OAuth2Tokens', () => {
  it('should fetch once and keep the token for the hub', async () => {
    const { tokens, asked } = setup();
    expect([await got(tokens.token('h1', AUTH)), await got(tokens.token('h1', AUTH))]).toEqual(['t1', 't1']);
    expect(asked).toHaveLength(1);
  });

  it('should share one fetch among the attempts that ask at the same time', async () => {
    const { tokens, asked } = setup();
    expect(await Promise.all([got(tokens.token('h1', AUTH)), got(tokens.token('h1', AUTH)), got(tokens.token('h1', AUTH))])).toEqual(['t1', 't1', 't1']);
    expect(asked).toHaveLength(1);
  });

  it('should keep a token per hub', async () => {
    const { tokens, asked } = setup();
    expect([await got(tokens.token('h1', AUTH)), await got(tokens.token('h2', AUTH))]).toEqual(['t1', 't2']);
    expect(asked).toHaveLength(2);
  });

  it.each<[string, string, number | undefined, number]>([
    ['just before its margin', 't1', 3_600_000, 3_600_000 - TOKEN_EARLY_MS - 1],
    ['at its margin (30 s before it expires)', 't2', 3_600_000, 3_600_000 - TOKEN_EARLY_MS],
    ['living no longer than the margin', 't2', TOKEN_EARLY_MS, 0],
    ['without expires_in, within the default lifetime', 't1', undefined, TOKEN_DEFAULT_LIFETIME_MS - TOKEN_EARLY_MS - 1],
    ['without expires_in, past the default lifetime', 't2', undefined, TOKEN_DEFAULT_LIFETIME_MS - TOKEN_EARLY_MS],
  ])('a token %s: the next attempt gets %s', async (_case, expected, lifetimeMs, later) => {
    const { tokens, advance } = setup([{ token: 't1', ...(lifetimeMs !== undefined ? { lifetimeMs } : {}) }, { token: 't2' }]);
    await got(tokens.token('h1', AUTH));
    advance(later);
    expect(await got(tokens.token('h1', AUTH))).toBe(expected);
  });

  it('should fetch again after the listener refused the token, once for every attempt that saw it refused', async () => {
    const { tokens, asked } = setup();
    await got(tokens.token('h1', AUTH));
    tokens.invalidate('h1', 't1');
    expect(await got(tokens.token('h1', AUTH))).toEqual('t2');
    // A slower attempt refused with the old token does not throw the new one away.
    tokens.invalidate('h1', 't1');
    expect(await got(tokens.token('h1', AUTH))).toEqual('t2');
    expect(asked).toHaveLength(2);
  });

  it('should fetch again when the credentials change, and after forget', async () => {
    const { tokens, asked } = setup();
    await got(tokens.token('h1', AUTH));
    expect(await got(tokens.token('h1', { ...AUTH, clientSecret: 'rotated' }))).toEqual('t2');
    tokens.forget('h1');
    expect(await got(tokens.token('h1', { ...AUTH, clientSecret: 'rotated' }))).toEqual('t3');
    expect(asked.map((a) => a.clientSecret)).toEqual(['s', 'rotated', 'rotated']);
  });

  it('should keep no failure: the next attempt asks again', async () => {
    const { tokens, asked } = setup([{ error: 'no OAuth2 token: the token endpoint answered 503' }]);
    expect(await got(tokens.token('h1', AUTH))).toBe('no OAuth2 token: the token endpoint answered 503');
    expect(await got(tokens.token('h1', AUTH))).toEqual('t1');
    expect(asked).toHaveLength(2);
  });

  it('should keep nothing for a one-off (the validation handshake)', async () => {
    const { tokens, asked } = setup();
    await got(tokens.token(undefined, AUTH));
    await got(tokens.token(undefined, AUTH));
    expect(asked).toHaveLength(2);
  });
});
