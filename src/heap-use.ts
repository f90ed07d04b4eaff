import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { oldGenerationLimit } from './heap-ceiling';
import type { HeapUse } from './hub/pending-limit';

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

/** What the old generation (every space but the young ones) holds now, garbage included. */
function oldGenerationUsed(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) if (!YOUNG_SPACES.has(space.space_name)) used += space.space_used_size;
  return used;
}

/**
 * This process's heap as the backpressure reads it, all of it the old generation, which is what
 * fills up (the young one is emptied at every scavenge): what it held after the last full
 * (mark-compact) collection, which is the live data and not garbage waiting to be collected (zero
 * until the first one); what it holds now; and its limit. stop() ends the watch (a hub built by a
 * test in a shared process).
 */
export function watchHeapUse(): HeapUse & { stop(): void } {
  let live = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) live = oldGenerationUsed();
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const limit = oldGenerationLimit(getHeapStatistics().heap_size_limit, process.execArgv, process.env.NODE_OPTIONS);
  return { live: () => live, used: oldGenerationUsed, limit, stop: () => observer.disconnect() };
}
