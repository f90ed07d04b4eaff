import type { Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { pollUntil } from '../helpers/poll';
import { API, buildTestApp } from '../helpers/test-app';

const SECRET = 's3cret-pw-9f2b';
/** Nothing listens on port 9 of the loopback: every connection is refused at once. */
const CASES: Array<{ key: string; config: Partial<Config>; callback: string; source: string; shown: string }> = [
  { key: 'nats', config: { natsUrl: `nats://hub:${SECRET}@127.0.0.1:9` }, callback: 'nats:orders', source: 'alarms', shown: 'nats://hub:***@127.0.0.1:9' },
  { key: 'nats', config: { natsUrl: `nats://${SECRET}@127.0.0.1:9` }, callback: 'nats:orders', source: 'alarms', shown: 'nats://***@127.0.0.1:9' },
  { key: 'amqp', config: { amqpUrl: `amqp://hub:${SECRET}@127.0.0.1:9/vh` }, callback: 'amqp:/orders', source: 'alarms', shown: 'amqp://hub:***@127.0.0.1:9/vh' },
  { key: 'amqp', config: { amqpUrl: 'amqp://127.0.0.1:9', amqpUsername: 'hub', amqpPassword: SECRET }, callback: 'amqp:/orders', source: 'alarms', shown: 'amqp://hub:***@127.0.0.1:9' },
  { key: 'mqtt', config: { mqttUrl: `mqtt://hub:${SECRET}@127.0.0.1:9` }, callback: 'mqtt:orders', source: 'alarms/#', shown: 'mqtt://hub:***@127.0.0.1:9' },
];

describe('broker credentials (in the URL or the variables) are never shown or logged', () => {
  it.each(CASES)('$key: $shown in /ready, and no secret in a log line, an attempt error or /metrics while the broker is away', async ({ key, config, callback, source, shown }) => {
    const lines: string[] = [];
    const app = await buildTestApp({ config: { ...config, logLevel: 'debug' }, logger: createLogger('debug', (line) => void lines.push(line)), worker: { retrySchedule: [60_000] } });
    try {
      const topic = await app.client.post(`${API}/topic`, { name: 'orders' });
      const hub = await app.client.post(`${API}/topic/${topic.body.id}/hub`, { callback });
      expect(hub.status).toBe(201);
      await app.client.post(`${API}/topic/${topic.body.id}/event`, { eventType: 'OrderCreateEvent', event: {} });
      const attempt = await pollUntil(async () => (await app.client.get(`${API}/topic/${topic.body.id}/hub/${hub.body.id}/delivery`)).body[0]?.attempts[0], 20_000, 'the first attempt');
      expect(attempt.outcome).toBe('failed');
      const sourced = await app.client.post(`${API}/topic`, { name: 'alarms', source: { [key]: source } });
      expect(sourced.status).toBe(201);
      const bridge = app.bridges.get(key)!;
      await pollUntil(async () => (bridge.status().sources.state === 'crashed' ? true : undefined), 20_000, 'the source failing to connect');
      const ready = await app.client.get('/ready');
      expect(ready.status).toBe(200);
      expect(ready.body[key]).toEqual({ server: shown, producer: 'not connected', sources: 'crashed', lag: {} });
      const metrics = (await app.client.get('/metrics')).text;
      expect(metrics).toContain(`tmf688_${key}_produced_records_total{result="failed"} 1`);
      const everything = [JSON.stringify(ready.body), JSON.stringify(attempt), metrics, ...lines].join('\n');
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain(encodeURIComponent(SECRET));
      // The bridge did log what happened, so the check above read real lines.
      expect(lines.some((line) => line.includes(`${key} bridge on`))).toBe(true);
    } finally {
      await app.stop();
    }
  });
});
