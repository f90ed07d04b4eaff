import { HEAP_COST, HEAP_HEADROOM, heapCeilingMb, heapSizeGiven, MONGODB_HEAP_MB, oldGenerationLimit, type HeapCeilingConfig } from '../../src/heap-ceiling';
import { loadConfig } from '../../src/config';

const MB = 2 ** 20;
const DEFAULTS: HeapCeilingConfig = loadConfig({});

/** The limit `auto` gives for these caps, worked out here from the per-item costs. */
function expected(events: number, finished: number, audit: number, pending: number): number {
  const c = HEAP_COST;
  return Math.ceil(((c.baseBytes + events * c.eventBytes + finished * c.finishedBytes + audit * c.auditBytes + pending * c.pendingBytes) * HEAP_HEADROOM) / MB);
}

describe('heapCeilingMb (HUB_HEAP_LIMIT)', () => {
  it.each<[string, Partial<HeapCeilingConfig>, number | undefined]>([
    ['auto, the default caps', {}, expected(100_000, 100_000, 100_000, 200_000)],
    ['auto, smaller caps give a smaller limit', { memoryMaxEvents: 10_000, memoryMaxDeliveries: 10_000, memoryMaxAuditRecords: 1_000, maxPending: 20_000 }, expected(10_000, 10_000, 1_000, 20_000)],
    ['auto, no pending cap: nothing bounds the store, Node keeps its limit', { maxPending: 0 }, undefined],
    ['auto on MongoDB: the data lives in the database', { mongodbUrl: 'mongodb://db:27017/hub' }, MONGODB_HEAP_MB],
    ['off: Node keeps its limit', { heapLimit: 'off' }, undefined],
    ['a size: that many MB', { heapLimit: 768 * MB }, 768],
    ['a size not a whole MB: rounded down', { heapLimit: 768 * MB + 1000 }, 768],
    ['a size on MongoDB too', { heapLimit: 300 * MB, mongodbUrl: 'mongodb://db:27017/hub' }, 300],
  ])('%s', (_name, overrides, mb) => {
    expect(heapCeilingMb({ ...DEFAULTS, ...overrides })).toBe(mb);
  });

  it('should grow with each cap', () => {
    const base = heapCeilingMb(DEFAULTS)!;
    for (const key of ['memoryMaxEvents', 'memoryMaxDeliveries', 'memoryMaxAuditRecords', 'maxPending'] as const) {
      expect([key, heapCeilingMb({ ...DEFAULTS, [key]: DEFAULTS[key] * 2 })! > base]).toEqual([key, true]);
    }
  });
});

describe('heapSizeGiven', () => {
  it.each<[string, string[], string | undefined, boolean]>([
    ['nothing given', [], undefined, false],
    ['other options only', ['--require', 'probe.cjs', '--cpu-prof'], '--enable-source-maps', false],
    ['on the command line', ['--max-old-space-size=512'], undefined, true],
    ['with underscores', ['--max_old_space_size=512'], undefined, true],
    ['in NODE_OPTIONS', [], '--enable-source-maps --max-old-space-size=300', true],
    ['as --max-heap-size', [], '--max-heap-size=400', true],
    ['a look-alike option', ['--max-old-space-size-limit=1'], '--max-semi-space-size=16', false],
  ])('%s', (_name, execArgv, nodeOptions, given) => {
    expect(heapSizeGiven(execArgv, nodeOptions)).toBe(given);
  });
});

describe('oldGenerationLimit', () => {
  const HEAP = 674 * MB;
  it.each<[string, string[], string | undefined, number]>([
    ['none given: the heap limit less the young generation', [], undefined, 626 * MB],
    ['on the command line', ['--max-old-space-size=300'], undefined, 300 * MB],
    ['in NODE_OPTIONS', [], '--enable-source-maps --max_old_space_size=256', 256 * MB],
    ['both: the command line wins', ['--max-old-space-size=300'], '--max-old-space-size=256', 300 * MB],
    ['twice on the command line: the last', ['--max-old-space-size=300', '--max-old-space-size=400'], undefined, 400 * MB],
  ])('%s', (_name, execArgv, nodeOptions, bytes) => {
    expect(oldGenerationLimit(HEAP, execArgv, nodeOptions)).toBe(bytes);
  });

  it('should never go below half the heap limit for a small heap', () => {
    expect(oldGenerationLimit(64 * MB, [], undefined)).toBe(32 * MB);
  });
});
