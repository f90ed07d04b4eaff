// Process and HTTP helpers for the benchmark orchestrator.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..');
export const nowMs = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Forks a helper script that reports {ready, port} over IPC. */
export async function startChild(script, env = {}) {
  const child = fork(join(BENCH_DIR, script), { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  const ask = (msg) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(msg);
    });
  return { child, port, url: (path) => `http://127.0.0.1:${port}${path}`, ask, stop: () => stopProcess(child) };
}

export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the built hub (dist/main.js) and waits for /health. The hub runs with bench/hub-probe.cjs
 * preloaded (event-loop delay and GC time, measured inside it: `probe`); `profileDir` adds
 * --cpu-prof, whose profile the hub writes there when it exits. `authorization` is sent with every
 * request the hub object makes (a hub with access control on).
 */
export async function startHub(env = {}, { profileDir, nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean), authorization } = {}) {
  const port = await freePort();
  const probeDir = mkdtempSync(join(os.tmpdir(), 'bench-probe-'));
  const args = [...nodeArgs, '--require', join(BENCH_DIR, 'hub-probe.cjs')];
  if (profileDir) args.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  const child = spawn(process.execPath, [...args, join(ROOT, 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', BENCH_PROBE_DIR: probeDir, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the hub exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the hub did not start within 30 s');
    await sleep(100);
  }
  const pool = new Pool(base, { connections: 32, keepAliveTimeout: 60_000 });
  const api = `/tmf-api/event/v4`;
  const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
  const post = async (path, body) => {
    const res = await pool.request({ path: api + path, method: 'POST', body: JSON.stringify(body), headers });
    const text = await res.body.text();
    if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`POST ${path} answered ${res.statusCode}: ${text}`);
    return JSON.parse(text);
  };
  /** Publishes without judging the answer: its status (201, or 503 when the hub pushes back). */
  const publish = async (topicId, body) => {
    const res = await pool.request({ path: `${api}/topic/${topicId}/event`, method: 'POST', body: JSON.stringify(body), headers });
    await res.body.dump();
    return res.statusCode;
  };
  return {
    child,
    base,
    publish,
    eventUrl: (topicId) => `${base}${api}/topic/${topicId}/event`,
    post,
    rssBytes: () => rssOf(child.pid),
    probe: hubProbe(probeDir),
    stop: async () => {
      await pool.close();
      await stopProcess(child);
      rmSync(probeDir, { recursive: true, force: true });
    },
  };
}

/**
 * The hub-probe files of one hub's processes: reset() starts a new measurement in each (SIGUSR2),
 * read() waits for a fresh write and sums them up: the worst process's loop delay, the GC time of all.
 */
function hubProbe(dir) {
  const files = () => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  let resetAt;
  return {
    /** When the last measurement began (epoch ms), if one did. */
    resetAt: () => resetAt,
    reset() {
      resetAt = Date.now();
      for (const { pid } of files()) {
        try {
          process.kill(pid, 'SIGUSR2');
        } catch {
          // that process has exited
        }
      }
    },
    async read() {
      const asked = Date.now();
      await sleep(300);
      const all = files().filter((s) => s.at >= asked);
      if (!all.length) return undefined;
      const worst = (pick) => Math.max(...all.map(pick));
      const seconds = Math.max(...all.map((s) => (s.at - s.since) / 1000));
      const gcMs = all.reduce((sum, s) => sum + s.gc.ms, 0);
      return {
        processes: all.length,
        loopDelayP50ms: worst((s) => s.loopDelay.p50ms),
        loopDelayP99ms: worst((s) => s.loopDelay.p99ms),
        loopDelayMaxms: worst((s) => s.loopDelay.maxms),
        gcMs,
        gcCount: all.reduce((sum, s) => sum + s.gc.count, 0),
        gcMaxms: worst((s) => s.gc.maxms),
        // Over the processes that collected garbage in the measurement: a parent that only waits for
        // its hub process (the heap-limit relaunch, the supervisor of HUB_PROCESSES) does not dilute it.
        gcShare: gcMs / 1000 / seconds / Math.max(1, all.filter((s) => s.gc.count > 0).length),
        // Every process's CPU time (user + system) over the measurement, summed.
        cpuMs: all.reduce((sum, s) => sum + (s.cpuMs ?? 0), 0),
        seconds,
      };
    },
  };
}

/**
 * The heaviest functions of a V8 .cpuprofile by self time: samples are attributed to the node they
 * landed on, and nodes are grouped by function, file and line. `lastMs`: only the samples of the
 * profile's last lastMs milliseconds (the measurement, without the hub's start).
 */
export function topFunctions(profile, count = 8, lastMs = Infinity) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^file:\/\//, '').replace(ROOT + '/', '') : '';
    const key = `${functionName || '(anonymous)'} ${file}${file ? `:${lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, ms]) => ({ fn, selfMs: Math.round(ms), share: ms / total }));
}

/**
 * The memory a hub costs, from /proc (Linux): the resident set size of the process, or, when it runs
 * its hub in children (the heap-limit relaunch, HUB_PROCESSES), the resident set of each child and
 * what the parent adds of its own (its private pages; the pages of Node's code it shares with its
 * children are counted once, in the children).
 */
export function rssOf(pid) {
  const children = childrenOf(pid);
  if (!children.length) return statusKb(pid, 'VmRSS') * 1024;
  return privateKb(pid) * 1024 + children.reduce((sum, child) => sum + rssOf(child), 0);
}

function statusKb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]);
}

function privateKb(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return [...rollup.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** Runs load.mjs as its own process and returns its JSON result. */
export function runLoad(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, 'load.mjs')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load.mjs exited with ${code}`))));
  });
}

/** Runs `task(i)` for i < count with at most `width` at once. */
export async function inParallel(count, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await task(next++);
  }));
}

export async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
