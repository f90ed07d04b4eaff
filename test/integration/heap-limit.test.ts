import { heapCeilingMb } from '../../src/heap-ceiling';
import { loadConfig } from '../../src/config';
import { cpuBudget, NODE_V8_POOL_SIZE, v8PoolSize } from '../../src/v8-pool';
import { createServer, type AddressInfo } from 'node:net';
import { pollUntil } from '../helpers/poll';
import { CLI_JS, MAIN_JS, runHubToExit, startHubProcess, type HubProcess } from '../helpers/start-hub-process';

/** The `tmf688-hub listening` line of a hub's output, parsed. */
function listening(hub: HubProcess): { pid: number; heapLimitMB: number; v8PoolSize: number } {
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
  const env = { NODE_OPTIONS: '', HUB_HEAP_LIMIT: 'auto', HUB_V8_POOL_SIZE: 'off' };

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
      expect(line.v8PoolSize).toBe(NODE_V8_POOL_SIZE);
      if (mb !== undefined) {
        expect(line.heapLimitMB - mb).toBeGreaterThanOrEqual(YOUNG_GENERATION_MB[0]);
        expect(line.heapLimitMB - mb).toBeLessThan(YOUNG_GENERATION_MB[1]);
      }
    } finally {
      expect(await stopped(hub)).toBe(0);
    }
  });

  it.each<[string, Record<string, string>, (cpus: number) => number]>([
    // The machine's CPUs as the hub reads them; on 2 cores that is 1.
    ['auto, from the CPUs, even with the heap limit off', { HUB_HEAP_LIMIT: 'off', HUB_V8_POOL_SIZE: 'auto' }, (cpus) => v8PoolSize({ v8PoolSize: 'auto', processes: 1 }, cpus)!],
    ['a number', { HUB_HEAP_LIMIT: 'off', HUB_V8_POOL_SIZE: '2' }, () => 2],
    ['auto with the heap limit: both in one child', { HUB_V8_POOL_SIZE: 'auto' }, (cpus) => v8PoolSize({ v8PoolSize: 'auto', processes: 1 }, cpus)!],
  ])('should run the hub in a child with V8\'s pool size (HUB_V8_POOL_SIZE) %s', async (_name, given, size) => {
    const hub = await startHubProcess({ ...env, ...given });
    try {
      const line = listening(hub);
      expect(line.pid).not.toBe(hub.child.pid);
      expect(line.v8PoolSize).toBe(size(cpuBudget()));
    } finally {
      expect(await stopped(hub)).toBe(0);
    }
  });

  it('should leave a --v8-pool-size given in NODE_OPTIONS as it is, and run the hub in the process itself', async () => {
    const hub = await startHubProcess({ ...env, HUB_HEAP_LIMIT: 'off', HUB_V8_POOL_SIZE: 'auto', NODE_OPTIONS: '--v8-pool-size=3' });
    try {
      const line = listening(hub);
      expect(line.pid).toBe(hub.child.pid);
      expect(line.v8PoolSize).toBe(3);
    } finally {
      expect(await stopped(hub)).toBe(0);
    }
  });

  it('should refuse a pool size that is not auto, off or 1 to 64, and name the variable', async () => {
    const { code, stderr } = await runHubToExit({ ...env, HUB_V8_POOL_SIZE: '0' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration: HUB_V8_POOL_SIZE must be auto, off or a number of threads from 1 to 64, got "0"');
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

