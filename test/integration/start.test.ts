import { runHubToExit, startHubProcess } from '../helpers/start-hub-process';
import { freshDatabaseEnv, STORE_KIND } from '../helpers/test-stores';

describe('the hub process (npm start)', () => {
  it(`should answer GET /tmf-api/event/v4/topic with 200 [] on the ${STORE_KIND} store, and stop cleanly on SIGTERM`, async () => {
    // The default heap limit (auto): the hub runs in a child of the process started, which passes SIGTERM on.
    const hub = await startHubProcess({ ...freshDatabaseEnv(), HUB_HEAP_LIMIT: 'auto' }, 10_000);
    try {
      const res = await fetch(`${hub.baseUrl}/tmf-api/event/v4/topic`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
      expect(res.headers.get('x-total-count')).toBe('0');
      const health = await fetch(`${hub.baseUrl}/health`);
      expect(health.status).toBe(200);
    } finally {
      hub.child.kill('SIGTERM');
    }
    expect(await hub.exited).toBe(0);
    expect(hub.output()).toContain('"msg":"shutting down"');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ HUB_PUBLIC_URL: 'nope' }, 'HUB_PUBLIC_URL'],
    [{ HUB_DB_TIMEOUT: 'soon' }, 'HUB_DB_TIMEOUT'],
    [{ MONGODB_URL: 'localhost:27017' }, 'MONGODB_URL'],
  ])('should refuse to start with %j and name the variable', async (env, variable) => {
    const { code, stderr } = await runHubToExit(env);
    expect(code).toBe(1);
    expect(stderr).toContain(`Invalid configuration: ${variable}`);
  });
});
