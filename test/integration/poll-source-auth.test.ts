import { createLogger } from '../../src/logger';
import type { Stores } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';
import { TestTokenEndpoint } from '../helpers/test-token-endpoint';
import { productOrder, Tmf622Mock } from '../helpers/tmf622-mock';

/** A poll source's `auth`: the shapes of a listener's, write-only (kept in the poll record, never on the topic). */
describe('a poll source that needs credentials', () => {
  let mock: Tmf622Mock;
  let tokens: TestTokenEndpoint;
  let stores: Stores;
  let cleanup: () => Promise<void>;
  let hub: TestApp;
  const lines: string[] = [];

  beforeEach(async () => {
    mock = await Tmf622Mock.start();
    mock.orders = [productOrder('o1')];
    tokens = await TestTokenEndpoint.start('hub-poller', 'p0ll-s3cret');
    ({ stores, cleanup } = await createTestStores());
    hub = await buildTestApp({ stores, logger: createLogger('debug', (line) => void lines.push(line)) });
  });

  afterEach(async () => {
    await hub.stop();
    await mock.close();
    await tokens.close();
    await cleanup();
  });

  async function pollTopic(auth: Record<string, unknown>): Promise<{ id: string; turn: unknown }> {
    const res = await hub.client.post(`${API}/topic`, { name: `orders-${Math.random()}`, source: { poll: mock.url, auth } });
    expect(res.status).toBe(201);
    await hub.polls.refresh();
    return { id: res.body.id, turn: await hub.polls.pollNow(res.body.id) };
  }

  it('should poll with an OAuth2 client-credentials token, keep it, and take a new one once when the API answers 401', async () => {
    mock.authorize = (authorization) => tokens.valid(authorization);
    const { id, turn } = await pollTopic({ type: 'oauth2', tokenUrl: tokens.url, clientId: 'hub-poller', clientSecret: 'p0ll-s3cret', scope: 'orders.read' });
    expect(turn).toMatchObject({ polled: { baseline: true, changes: 1 } });
    expect(await hub.polls.pollNow(id)).toMatchObject({ polled: { changes: 0 } });
    expect(tokens.grants).toHaveLength(1);
    expect(tokens.grants[0]).toMatchObject({ clientAuth: 'basic', clientId: 'hub-poller', form: { grant_type: 'client_credentials', scope: 'orders.read' } });
    tokens.revokeAll();
    expect(await hub.polls.pollNow(id)).toMatchObject({ polled: { changes: 0 } });
    expect(tokens.grants).toHaveLength(2);
    const shown = JSON.stringify((await hub.client.get(`${API}/topic/${id}`)).body);
    expect(shown).toContain('"clientId":"hub-poller"');
    for (const secret of ['p0ll-s3cret', ...tokens.tokens]) {
      expect(shown).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('should record a token endpoint that refuses the client, without quoting the secret', async () => {
    const { id, turn } = await pollTopic({ type: 'oauth2', tokenUrl: tokens.url, clientId: 'hub-poller', clientSecret: 'wrong-s3cret' });
    expect(turn).toEqual({ failed: expect.stringContaining('401') });
    const shown = JSON.stringify((await hub.client.get(`${API}/topic/${id}`)).body);
    expect(shown).not.toContain('wrong-s3cret');
    expect(lines.join('\n')).not.toContain('wrong-s3cret');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bearer token', { type: 'bearer', token: 'b3arer-t0ken' }, 'Bearer b3arer-t0ken'],
    ['basic credentials', { type: 'basic', username: 'poller', password: 'pa55' }, `Basic ${Buffer.from('poller:pa55').toString('base64')}`],
  ])('should poll with %s', async (_case, auth, authorization) => {
    mock.authorize = (sent) => sent === authorization;
    expect((await pollTopic(auth)).turn).toMatchObject({ polled: { baseline: true } });
  });

  it('should refuse a poll source whose auth is not valid, naming the attribute, and store nothing', async () => {
    const res = await hub.client.post(`${API}/topic`, { name: 'bad', source: { poll: mock.url, auth: { type: 'bearer', token: 'two words' } } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('source.auth.token');
    expect(res.body.message).not.toContain('two words');
    expect((await hub.client.get(`${API}/topic`)).body).toEqual([]);
  });
});
