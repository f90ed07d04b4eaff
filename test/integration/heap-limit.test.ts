import { heapCeilingMb } from '../../src/heap-ceiling';
import { loadConfig } from '../../src/config';
import { createServer, type AddressInfo } from 'node:net';
import { pollUntil } from '../helpers/poll';
import { CLI_JS, MAIN_JS, runHubToExit, startHubProcess, type HubProcess } from '../helpers/start-hub-process';

/** The `tmf688-hub listening` line of a hub's output, parsed. */
function listening(hub: HubProcess): { pid: number; heapLimitMB: number } {
  const line = hub.output().split('\n').find((l) => l.includes('"msg":"tmf688-hub listening"'));
  return JSON.parse(line!);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopped(hub: HubProcess): Promise<number | null> {
  hub.child.kill('SIGTERM');
  return hub.exited;
}

// V8's heap limit is the old space (what --max-old-space-size sets) and the young generation above it.
const YOUNG_GENERATION_MB = [0, 100] as const;

describe('the heap limit (HUB_HEAP_LIMIT)', () => {
  const env = { NODE_OPTIONS: '', HUB_HEAP_LIMIT: 'auto' };

  it('should run the hub in a child with the limit derived from the caps (auto), and pass SIGTERM on to it', async () => {
    const caps = { HUB_MEMORY_MAX_EVENTS: '20000', HUB_MEMORY_MAX_DELIVERIES: '20000', HUB_MAX_PENDING: '40000' };
    const hub = await startHubProcess({ ...env, ...caps });
    const line = listening(hub);
    expect(line.pid).not.toBe(hub.child.pid);
    // The environment the hub reads (on the MongoDB run it names the database: 512 MB, not the embedded store's figure).
    const mb = heapCeilingMb(loadConfig({ ...process.env, ...env, ...caps }))!;
    expect(line.heapLimitMB - mb).toBeGreaterThanOrEqual(YOUNG_GENERATION_MB[0]);
    expect(line.heapLimitMB - mb).toBeLessThan(YOUNG_GENERATION_MB[1]);
    expect(await (await fetch(`${hub.baseUrl}/health`)).status).toBe(200);
    expect(await stopped(hub)).toBe(0);
    // The child stopped in order (it got the signal), and the parent waited for it.
    expect(hub.output()).toContain('"msg":"stopped"');
    expect(() => process.kill(line.pid, 0)).toThrow();
  });

  it.each([
    ['a size, started as dist/main.js', { HUB_HEAP_LIMIT: '300mb' }, 300, MAIN_JS],
    ['a size, started as the tmf688-hub command (npm start)', { HUB_HEAP_LIMIT: '200mb' }, 200, CLI_JS],
  ])('should take %s', async (_name, given, mb, script) => {
    const hub = await startHubProcess({ ...env, ...given }, 20_000, script);
    try {
      const line = listening(hub);
      expect(line.pid).not.toBe(hub.child.pid);
      expect(line.heapLimitMB - mb).toBeGreaterThanOrEqual(YOUNG_GENERATION_MB[0]);
      expect(line.heapLimitMB - mb).toBeLessThan(YOUNG_GENERATION_MB[1]);
    } finally {
      expect(await stopped(hub)).toBe(0);
    }
  });

  it.each<[string, Record<string, string>, number | undefined]>([
    ["off (Node's own limit)", { HUB_HEAP_LIMIT: 'off' }, undefined],
    ['a --max-old-space-size in NODE_OPTIONS, which wins', { NODE_OPTIONS: '--max-old-space-size=256' }, 256],
  ])('should run the hub in the process itself with %s', async (_name, given, mb) => {
    const hub = await startHubProcess({ ...env, ...given });
    try {
      const line = listening(hub);
      expect(line.pid).toBe(hub.child.pid);
      if (mb !== undefined) {
        expect(line.heapLimitMB - mb).toBeGreaterThanOrEqual(YOUNG_GENERATION_MB[0]);
        expect(line.heapLimitMB - mb).toBeLessThan(YOUNG_GENERATION_MB[1]);
      }
    } finally {
      expect(await stopped(hub)).toBe(0);
    }
  });

  it('should exit with the code of a hub that could not start in its child, with its message', async () => {
    // The port is taken: only the hub process (the child) finds that out, when it listens.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      const { code, stderr } = await runHubToExit({ ...env, PORT: String(port), HOST: '127.0.0.1' });
      expect(code).toBe(1);
      expect(stderr).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  });

  it('should stop the hub process in order when its parent is killed outright', async () => {
    const hub = await startHubProcess(env);
    const { pid } = listening(hub);
    hub.child.kill('SIGKILL');
    await pollUntil(async () => (alive(pid) ? undefined : true), 15_000, 'the orphaned hub process to stop', 50);
    expect(hub.output()).toContain('"msg":"shutting down","signal":"parent exited"');
    expect(hub.output()).toContain('"msg":"stopped"');
  });

  it('should refuse a limit below the smallest and name the variable', async () => {
    const { code, stderr } = await runHubToExit({ ...env, HUB_HEAP_LIMIT: '64mb' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration: HUB_HEAP_LIMIT must be at least 128mb, got "64mb"');
  });
});

