// Preloaded into the hub by the benchmark (`node --require bench/hub-probe.cjs dist/main.js`), not a
// hub feature: measures, inside the hub process, the event-loop delay (perf_hooks
// monitorEventLoopDelay), the time spent in garbage collection (PerformanceObserver 'gc') and the
// CPU time used (process.cpuUsage), and
// writes them as JSON to $BENCH_PROBE_DIR/<pid>.json every 250 ms and at exit. SIGUSR2 starts a new
// measurement (the benchmark sends it when a scenario's load begins). Every process that loads it
// (the primary and each child under HUB_PROCESSES) writes its own file.
'use strict';
const { monitorEventLoopDelay, PerformanceObserver } = require('node:perf_hooks');
const { writeFileSync, mkdirSync, renameSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcMs = 0;
  let gcCount = 0;
  let gcMaxMs = 0;
  let since = Date.now();
  // CPU time (user + system) of this process since the measurement began: what a unit of work costs,
  // which a busy machine changes much less than it changes a rate.
  let cpuAtReset = process.cpuUsage();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcCount++;
      if (entry.duration > gcMaxMs) gcMaxMs = entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const ms = (ns) => ns / 1e6;
  const write = () => {
    const stats = {
      pid: process.pid,
      since,
      at: Date.now(),
      loopDelay: { p50ms: ms(delay.percentile(50)), p99ms: ms(delay.percentile(99)), maxms: ms(delay.max), meanms: ms(delay.mean) },
      gc: { ms: gcMs, count: gcCount, maxms: gcMaxMs },
      cpuMs: (() => {
        const used = process.cpuUsage(cpuAtReset);
        return (used.user + used.system) / 1000;
      })(),
      rssBytes: process.memoryUsage.rss(),
    };
    // Written aside and renamed: the benchmark never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(stats));
    renameSync(`${file}.tmp`, file);
  };
  process.on('SIGUSR2', () => {
    delay.reset();
    gcMs = 0;
    gcCount = 0;
    gcMaxMs = 0;
    since = Date.now();
    cpuAtReset = process.cpuUsage();
    write();
  });
  setInterval(write, 250).unref();
  process.on('exit', write);
  write();
}
