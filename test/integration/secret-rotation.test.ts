import { Webhook } from 'standardwebhooks';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { TestReceiver, type ReceivedRequest } from '../helpers/test-receiver';

const OLD = `whsec_${Buffer.from('the-old-secret-0123456789abcdef').toString('base64')}`;
const NEW = `whsec_${Buffer.from('the-new-secret-0123456789abcdef').toString('base64')}`;
const GRACE_MS = 3000;

const verifies = (secret: string, req: ReceivedRequest): boolean => {
  try {
    new Webhook(secret).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    });
    return true;
  } catch {
    return false;
  }
};

/** POST .../secret: both secrets sign during the grace (HUB_SECRET_ROTATION_GRACE), only the new one after. */
describe('secret rotation', () => {
  let hub: TestApp;
  let receiver: TestReceiver;

  beforeEach(async () => {
    receiver = await TestReceiver.start();
    hub = await buildTestApp({ worker: {}, config: { secretRotationGraceMs: GRACE_MS } });
  });
  afterEach(async () => {
    await hub.stop();
    await receiver.close();
  });

  const arrivals = (path: string, count: number) =>
    pollUntil(async () => (receiver.requestsTo(path).length >= count ? receiver.requestsTo(path) : undefined), 5000, `${count} requests to ${path}`);

  it('should sign a topic hub\'s deliveries with both secrets during the grace and only the new one after', async () => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'orders' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/rotating'), secret: OLD })).body.id;
    await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'Before' });
    const [before] = await arrivals('/rotating', 1);
    expect([verifies(OLD, before), verifies(NEW, before)]).toEqual([true, false]);

    const rotated = await hub.client.post(`${API}/topic/${topicId}/hub/${hubId}/secret`, { secret: NEW });
    const rotatedAt = Date.now();
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: hubId, callback: receiver.url('/rotating') });
    expect(JSON.stringify(rotated.body)).not.toMatch(/secret|whsec_/);

    await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'During' });
    const during = (await arrivals('/rotating', 2))[1];
    // Only meaningful if it was sent within the grace; the grace is long against a local delivery.
    expect(Date.now() - rotatedAt).toBeLessThan(GRACE_MS);
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect([verifies(OLD, during), verifies(NEW, during)]).toEqual([true, true]);

    await pollUntil(async () => (Date.now() - rotatedAt > GRACE_MS + 50 ? true : undefined), GRACE_MS + 2000, 'the end of the grace', 50);
    await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'After' });
    const after = (await arrivals('/rotating', 3))[2];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect([verifies(OLD, after), verifies(NEW, after)]).toEqual([false, true]);
  });

  it('should rotate a POST /hub registration\'s secret the same way', async () => {
    const listenerId = (await hub.client.post(`${API}/hub`, { callback: receiver.url('/registration'), secret: OLD })).body.id;
    const rotated = await hub.client.post(`${API}/hub/${listenerId}/secret`, { secret: NEW });
    expect(rotated.status).toBe(200);
    expect(JSON.stringify(rotated.body)).not.toMatch(/secret|whsec_/);
    await hub.client.post(`${API}/topic`, { name: 'announced' });
    const [req] = await arrivals('/registration', 1);
    expect([verifies(OLD, req), verifies(NEW, req)]).toEqual([true, true]);
  });

  it('should start signing a hub that had no secret, with the new secret only', async () => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'plain' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/plain') })).body.id;
    await hub.client.post(`${API}/topic/${topicId}/hub/${hubId}/secret`, { secret: NEW });
    await hub.client.post(`${API}/topic/${topicId}/event`, { eventType: 'X' });
    const [req] = await arrivals('/plain', 1);
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(NEW, req)).toBe(true);
  });

  it('should never show either secret: not on get, list or fields=secret, and refuse a filter on it', async () => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'hidden' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/h'), secret: OLD })).body.id;
    await hub.client.post(`${API}/topic/${topicId}/hub/${hubId}/secret`, { secret: NEW });
    for (const path of [`/topic/${topicId}/hub/${hubId}`, `/topic/${topicId}/hub`, `/topic/${topicId}/hub/${hubId}?fields=secret`, `/topic/${topicId}/hub?fields=secret`]) {
      const res = await hub.client.get(`${API}${path}`);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/whsec_|previous|"secret"/);
    }
    for (const filter of ['secret.current.regex=^whsec_', 'secret.previous=x', 'secret.previousUntil.gt=0']) {
      const res = await hub.client.get(`${API}/topic/${topicId}/hub?${filter}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^secret\.[a-zA-Z.]+ cannot be used in a filter/);
    }
  });

  it.each([
    ['a secret shorter than 16 characters', { secret: 'short' }, /secret/],
    ['no secret', {}, /secret is required/],
    ['another attribute', { secret: NEW, callback: 'http://elsewhere' }, /callback is not allowed/],
  ])('should refuse %s with a 400 and change nothing', async (_case, body, message) => {
    const topicId = (await hub.client.post(`${API}/topic`, { name: 'bad' })).body.id;
    const hubId = (await hub.client.post(`${API}/topic/${topicId}/hub`, { callback: receiver.url('/bad'), secret: OLD })).body.id;
    const res = await hub.client.post(`${API}/topic/${topicId}/hub/${hubId}/secret`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
    const stored = await hub.stores.hubs.get(topicId, hubId);
    expect(stored?.secret).toBe(OLD);
  });

  it.each([
    ['an unknown hub of a topic', async () => `${API}/topic/${(await hub.client.post(`${API}/topic`, { name: 'x' })).body.id}/hub/nope/secret`],
    ['a hub of an unknown topic', async () => `${API}/topic/nope/hub/nope/secret`],
    ['an unknown registration', async () => `${API}/hub/nope/secret`],
  ])('should answer 404 for %s', async (_case, path) => {
    const res = await hub.client.post(await path(), { secret: NEW });
    expect(res.status).toBe(404);
    expect(res.body['@type']).toBe('Error');
  });
});
