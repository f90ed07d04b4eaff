import { loadConfig } from '../../src/config';
import { heapCeilingMb } from '../../src/heap-ceiling';
import { hubNodeArgs } from '../../src/main';
import { cgroupCpus, cpuBudget, givenV8PoolSize, NODE_V8_POOL_SIZE, v8PoolSize, type V8PoolConfig } from '../../src/v8-pool';
import { availableParallelism } from 'node:os';

describe('v8PoolSize (HUB_V8_POOL_SIZE)', () => {
  it.each<[string, V8PoolConfig, number, number | undefined]>([
    ['auto on 2 CPUs: one core for the hub\'s thread, one V8 thread', { v8PoolSize: 'auto', processes: 1 }, 2, 1],
    ['auto on 1 CPU: still one', { v8PoolSize: 'auto', processes: 1 }, 1, 1],
    ['auto on 4 CPUs', { v8PoolSize: 'auto', processes: 1 }, 4, 3],
    ['auto on 32 CPUs: no more than Node\'s 4', { v8PoolSize: 'auto', processes: 1 }, 32, NODE_V8_POOL_SIZE],
    ['auto, 2 processes on 8 CPUs: each its share of 4, less one', { v8PoolSize: 'auto', processes: 2 }, 8, 3],
    ['auto, 2 processes on 2 CPUs', { v8PoolSize: 'auto', processes: 2 }, 2, 1],
    ['off: Node keeps its own', { v8PoolSize: 'off', processes: 1 }, 2, undefined],
    ['a number: that many, whatever the CPUs', { v8PoolSize: 6, processes: 1 }, 2, 6],
  ])('%s', (_name, config, cpus, size) => {
    expect(v8PoolSize(config, cpus)).toBe(size);
  });
});

describe('givenV8PoolSize', () => {
  it.each<[string, string[], string | undefined, number | undefined]>([
    ['nothing given', [], undefined, undefined],
    ['other options only', ['--require', 'probe.cjs', '--max-old-space-size=512'], '--enable-source-maps', undefined],
    ['on the command line', ['--v8-pool-size=2'], undefined, 2],
    ['with underscores', ['--v8_pool_size=1'], undefined, 1],
    ['in NODE_OPTIONS', [], '--enable-source-maps --v8-pool-size=3', 3],
    ['both: the command line, read after NODE_OPTIONS, wins', ['--v8-pool-size=2'], '--v8-pool-size=3', 2],
    ['a look-alike option', ['--v8-pool-size-max=1'], undefined, undefined],
  ])('%s', (_name, execArgv, nodeOptions, size) => {
    expect(givenV8PoolSize(execArgv, nodeOptions)).toBe(size);
  });
});

describe("the CPUs a container's limit allows", () => {
  it.each<[string, Parameters<typeof cgroupCpus>[0], number | undefined]>([
    ['cgroup v2, no limit', { cpuMax: 'max 100000\n' }, undefined],
    ['cgroup v2, 2 CPUs', { cpuMax: '200000 100000\n' }, 2],
    ['cgroup v2, 1.5 CPUs: rounded up', { cpuMax: '150000 100000' }, 2],
    ['cgroup v2, a quarter CPU: at least 1', { cpuMax: '25000 100000' }, 1],
    ['cgroup v1, no limit', { cfsQuota: '-1\n', cfsPeriod: '100000\n' }, undefined],
    ['cgroup v1, 3 CPUs', { cfsQuota: '300000\n', cfsPeriod: '100000\n' }, 3],
    ['v2 wins over v1', { cpuMax: '100000 100000', cfsQuota: '400000', cfsPeriod: '100000' }, 1],
    ['neither file', {}, undefined],
    ['unreadable text', { cpuMax: 'nonsense' }, undefined],
  ])('%s', (_name, files, cpus) => {
    expect(cgroupCpus(files)).toBe(cpus);
  });

  it('should take the fewer of the cores and the limit', () => {
    const cores = availableParallelism();
    expect(cpuBudget(() => undefined)).toBe(cores);
    expect(cpuBudget((path) => (path === '/sys/fs/cgroup/cpu.max' ? '100000 100000' : undefined))).toBe(1);
    expect(cpuBudget((path) => (path === '/sys/fs/cgroup/cpu.max' ? `${(cores + 8) * 100000} 100000` : undefined))).toBe(cores);
  });
});

describe('hubNodeArgs: the Node options the hub gives itself', () => {
  // The heap limit the default caps give (its own table is test/unit/heap-ceiling.test.ts).
  const HEAP = `--max-old-space-size=${heapCeilingMb(loadConfig({}))}`;
  it.each<[string, Record<string, string>, string[], string | undefined, string[]]>([
    ['the defaults on 2 CPUs: the heap limit from the caps and one V8 thread', {}, [], undefined, [HEAP, '--v8-pool-size=1']],
    ['both off: none, so no relaunch', { HUB_HEAP_LIMIT: 'off', HUB_V8_POOL_SIZE: 'off' }, [], undefined, []],
    ['the pool alone', { HUB_HEAP_LIMIT: 'off' }, [], undefined, ['--v8-pool-size=1']],
    ['what Node was given wins', {}, ['--v8-pool-size=4'], '--max-old-space-size=300', []],
    ['a pool size given, the heap limit not', { HUB_V8_POOL_SIZE: '3' }, [], '--v8-pool-size=2', [HEAP]],
  ])('%s', (_name, env, execArgv, nodeOptions, args) => {
    expect(hubNodeArgs(loadConfig(env), execArgv, nodeOptions, 2)).toEqual(args);
  });
});
