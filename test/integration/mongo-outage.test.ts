import { createMongoClient } from '../../src/store/mongo/connect-mongo';
import { createMongoStores } from '../../src/store/mongo/create-mongo-stores';
import type { Stores } from '../../src/store/store-types';
import type { ContractClient } from '../helpers/contract-client';
import { pollUntil } from '../helpers/poll';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { API, buildTestApp } from '../helpers/test-app';
import { MONGODB_URL, uniqueDbName } from '../helpers/test-stores';

const describeMongo = MONGODB_URL ? describe : describe.skip;

describeMongo('MongoDB outage (the app reaches MongoDB through a proxy the test cuts)', () => {
  const timeoutMs = 500;
  let proxy: TcpProxy;
  let stores: Stores;
  let client: ContractClient;

  beforeAll(async () => {
    const target = new URL(MONGODB_URL!.replace(/^mongodb:/, 'http:'));
    proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
    const mongo = createMongoClient(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, timeoutMs);
    await mongo.connect();
    stores = await createMongoStores(mongo, uniqueDbName());
    client = (await buildTestApp({ stores })).client;
  });

  afterAll(async () => {
    await stores.close();
    await proxy.close();
  });

  it('should answer 503 TMF Errors while MongoDB is away, within a bound, and recover by itself', async () => {
    const topic = (await client.post(`${API}/topic`, { name: 'orders' })).body;
    expect(topic.id).toEqual(expect.any(String));

    // Load before, during and after the cut: 20 concurrent publishers.
    const publish = (i: number) => client.post(`${API}/topic/${topic.id}/event`, { eventType: 'Load', eventId: `e-${i}-${Date.now()}` });
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => publish(i)));
    expect(before.every((r) => r.status === 201)).toBe(true);

    proxy.cut();
    const started = Date.now();
    const during = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => publish(100 + i)),
      client.get(`${API}/topic/${topic.id}/event`),
      client.get(`${API}/topic`),
      client.get('/ready'),
    ]);
    const elapsed = Date.now() - started;
    for (const res of during) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'ServiceUnavailable', status: '503', '@type': 'Error' });
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|Mongo/);
    }
    // Bounded: the driver gives up after its server-selection timeout (500 ms here), not never.
    expect(elapsed).toBeLessThan(15_000);

    proxy.restore();
    const recovered = await pollUntil(async () => {
      const res = await publish(999);
      return res.status === 201 ? res : undefined;
    }, 20_000, 'publishing to succeed again after MongoDB is back');
    expect(recovered.body.eventType).toBe('Load');
    const list = await client.get(`${API}/topic/${topic.id}/event?limit=1000`);
    expect(list.status).toBe(200);
    expect(Number(list.headers['x-total-count'])).toBe(21);
  });
});

if (!MONGODB_URL) {
  describe.skip('MongoDB outage (set MONGODB_URL to run)', () => {
    it('runs against MongoDB', () => undefined);
  });
}
