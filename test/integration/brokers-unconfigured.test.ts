import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { TOP_LEVEL } from '../../src/store/store-types';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';

const UNCONFIGURED = [
  { key: 'nats', name: 'NATS', variable: 'HUB_NATS_URL', callback: 'nats:orders', source: 'network.alarms' },
  { key: 'amqp', name: 'RabbitMQ', variable: 'HUB_AMQP_URL', callback: 'amqp:orders/created', source: 'alarms' },
  { key: 'mqtt', name: 'MQTT', variable: 'HUB_MQTT_URL', callback: 'mqtt:network/orders', source: 'network/+/alarms' },
];

describe('without HUB_NATS_URL, HUB_AMQP_URL and HUB_MQTT_URL', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await buildTestApp({ worker: {} });
  });
  afterAll(async () => {
    await hub.stop();
  });

  it.each(UNCONFIGURED)('should refuse $callback callbacks with a 400 naming $variable, on topic hubs and listener registrations, storing nothing', async ({ key, name, variable, callback }) => {
    const topic = await hub.client.post(`${API}/topic`, { name: 'orders' });
    for (const path of [`${API}/topic/${topic.body.id}/hub`, `${API}/hub`]) {
      const res = await hub.client.post(path, { callback });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`callback: a ${key}: callback needs ${name}, which is not configured on this hub (${variable})`);
    }
    expect((await hub.client.get(`${API}/topic/${topic.body.id}/hub`)).body).toEqual([]);
    expect((await hub.stores.listeners.list(TOP_LEVEL, { filter: [], offset: 0, limit: 10 })).total).toBe(0);
  });

  it.each(UNCONFIGURED)('should refuse a topic with a $key source with a 400 naming $variable, storing nothing', async ({ key, name, variable, source }) => {
    const before = (await hub.client.get(`${API}/topic`)).body.length;
    const res = await hub.client.post(`${API}/topic`, { name: 'alarms', source: { [key]: source, format: 'tmf' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`${name} is not configured on this hub (${variable}): a topic cannot have a source from ${name}`);
    expect((await hub.client.get(`${API}/topic`)).body).toHaveLength(before);
  });

  it('should refuse a source naming two brokers with a 400, whatever is configured', async () => {
    const res = await hub.client.post(`${API}/topic`, { name: 'alarms', source: { nats: 'a', mqtt: 'b' } });
    expect(res.status).toBe(400);
    expect(res.body['@type']).toBe('Error');
  });

  it('should report no broker state in /ready and no broker metrics', async () => {
    expect((await hub.client.get('/ready')).body).toEqual({ status: 'ready' });
    expect((await hub.client.get('/metrics')).text).not.toMatch(/tmf688_(nats|amqp|mqtt)_/);
  });

  /** The broker modules a built hub (worker on, sources started) has loaded, with the given broker variables. */
  async function loadedBrokerModules(brokers: Record<string, string>): Promise<string[]> {
    const script = `
      const { composeHub } = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'compose-hub.js'))});
      const { loadConfig } = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'config.js'))});
      const { createLogger } = require(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'logger.js'))});
      composeHub({ config: { ...loadConfig(process.env), workerEnabled: true }, logger: createLogger('silent') }).then(async (hub) => {
        hub.start();
        console.log(JSON.stringify(Object.keys(require.cache).filter((m) => /node_modules[\\\\/](nats|amqplib|mqtt)[\\\\/]|dist[\\\\/](nats|amqp|mqtt)[\\\\/]/.test(m))));
        await hub.stop(0);
      });`;
    const env = { ...process.env, MONGODB_URL: '', HUB_NATS_URL: '', HUB_AMQP_URL: '', HUB_MQTT_URL: '', ...brokers };
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env, encoding: 'utf8' });
    return JSON.parse(stdout.trim());
  }

  // The four processes run side by side (each builds a hub from dist/).
  let loading: Map<string, Promise<string[]>>;
  beforeAll(() => {
    loading = new Map([['none', loadedBrokerModules({})], ...UNCONFIGURED.map(({ key, variable }) => [key, loadedBrokerModules({ [variable]: `${key}://127.0.0.1:9` })] as const)]);
    // Awaited by the tests below; a rejection here is theirs to report.
    for (const promise of loading.values()) promise.catch(() => undefined);
  });

  it('should load none of the NATS, AMQP or MQTT modules (the built hub) without their variables', async () => {
    expect(await loading.get('none')).toEqual([]);
  }, 60_000);

  // The same check sees a bridge when it is configured (nothing is listening there: the bridges connect at first use), and only that one.
  it.each(UNCONFIGURED)('should load the $key client library and adapter with $variable alone, and no other broker\'s', async ({ key }) => {
    const loaded = (await loading.get(key))!;
    const library: Record<string, string> = { nats: 'nats', amqp: 'amqplib', mqtt: 'mqtt' };
    for (const other of UNCONFIGURED.map((row) => row.key)) {
      for (const module of [`node_modules/${library[other]}/`, `dist/${other}/`]) {
        expect([module, loaded.some((m) => m.includes(module))]).toEqual([module, other === key]);
      }
    }
  }, 60_000);
});
