import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { TOP_LEVEL } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

describe('without HUB_KAFKA_BROKERS', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await buildTestApp({ worker: {} });
  });
  afterAll(async () => {
    await hub.stop();
  });

  it('should refuse kafka: callbacks with a 400 naming the reason, on topic hubs and listener registrations, storing nothing', async () => {
    const topic = await hub.client.post(`${API}/topic`, { name: 'orders' });
    for (const path of [`${API}/topic/${topic.body.id}/hub`, `${API}/hub`]) {
      const res = await hub.client.post(path, { callback: 'kafka:orders' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/kafka: callback needs Kafka, which is not configured on this hub \(HUB_KAFKA_BROKERS\)/);
    }
    expect((await hub.client.get(`${API}/topic/${topic.body.id}/hub`)).body).toEqual([]);
    expect((await hub.stores.listeners.list(TOP_LEVEL, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
  });

  it('should refuse a topic with a source with a 400, storing nothing', async () => {
    const before = (await hub.client.get(`${API}/topic`)).body.length;
    const res = await hub.client.post(`${API}/topic`, { name: 'alarms', source: { kafka: 'network.alarms', format: 'tmf' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Kafka is not configured on this hub \(HUB_KAFKA_BROKERS\): a topic cannot have a source/);
    expect((await hub.client.get(`${API}/topic`)).body).toHaveLength(before);
  });

  it('should report no Kafka state in /ready and no Kafka metrics', async () => {
    expect((await hub.client.get('/ready')).body).toEqual({ status: 'ready' });
    expect((await hub.client.get('/metrics')).text).not.toMatch(/tmf688_kafka/);
  });

  it('should load no Kafka module at all (the built hub)', () => {
    const script = `
      const { composeHub } = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'compose-hub.js'))});
      const { loadConfig } = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'config.js'))});
      const { createLogger } = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'logger.js'))});
      composeHub({ config: { ...loadConfig({}), workerEnabled: false }, logger: createLogger('silent') }).then(async (hub) => {
        console.log(JSON.stringify(Object.keys(require.cache).filter((m) => /kafka/i.test(m))));
        await hub.stop(0);
      });`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, MONGODB_URL: '' }, encoding: 'utf8' }).trim());
    expect(loaded).toEqual([]);
  });
});
