// The per-request cost table of --profile: a V8 .cpuprofile's samples bucketed by the stage of the
// request path they were spent in (routing, body, validation, handler, response, Koa and middleware),
// as microseconds of the hub's main thread per request. docs/performance.md explains the buckets.

/** The buckets in the order they are printed. */
export const BUCKETS = ['routing', 'body', 'validation', 'handler', 'response', 'other/Koa', 'node (HTTP parser, sockets, timers)', 'GC', 'V8 (program)'];

// A frame of these names a stage: a sample goes to the innermost such frame on its stack, so that the
// native and Node-internal functions a stage calls (JSON.parse, a socket write, an ajv-compiled
// validator, which has no file) are counted with the stage that called them.
const STAGES = [
  ['validation', /\/dist\/http\/(contract-refusal|request-validation|path-template-params|validation-message)\.js$|\/node_modules\/(openapi-backend|ajv|ajv-formats|bath-es5|cookie|fast-uri|fast-deep-equal|json-schema-traverse)\//],
  ['routing', /\/dist\/http\/(api-front-door|operation-router|api-roots|hub-base-url|access-gate|authentication|operation-permissions)\.js$|\/dist\/access\//],
  ['body', /\/dist\/http\/read-json-body\.js$/],
  ['response', /\/node_modules\/koa\/lib\/response\.js$/],
  ['other/Koa', /\/dist\/http\/(api-dispatcher|request-logging|request-id|error-middleware|site-access|site-routes|create-app)\.js$|\/dist\/(logger|metrics\/)|\/node_modules\//],
  ['handler', /\/dist\//],
];

/** The stage of one call frame, or undefined for a frame that inherits its caller's. */
function stageOf({ url, functionName }) {
  // Koa writes the answer in respond() (application.js); the rest of that file is Koa's own work.
  if (functionName === 'respond' && url.endsWith('/node_modules/koa/lib/application.js')) return 'response';
  return STAGES.find(([, pattern]) => pattern.test(url))?.[0];
}

/** 'other/Koa' is weak: a stage named deeper (Koa's getters read by the body reader) wins over it. */
const WEAK = 'other/Koa';

/**
 * Milliseconds of the profile's last `lastMs` per bucket, idle left out: each sample goes to the
 * innermost strong stage on its stack, else to Koa when a Koa or middleware frame is on it, else to
 * what its own frame is (GC, V8's own work, Node's HTTP parser and sockets).
 */
export function costByBucket(profile, lastMs = Infinity) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const resolved = new Map();
  const resolve = (id) => {
    if (resolved.has(id)) return resolved.get(id);
    const parent = parentOf.has(id) ? resolve(parentOf.get(id)) : { strong: undefined, weak: undefined };
    const own = stageOf(byId.get(id).callFrame);
    const r = own === WEAK ? { strong: parent.strong, weak: WEAK } : own ? { strong: own, weak: parent.weak } : parent;
    resolved.set(id, r);
    return r;
  };
  const ms = Object.fromEntries(BUCKETS.map((b) => [b, 0]));
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const { functionName } = byId.get(profile.samples[i]).callFrame;
    if (functionName === '(idle)') continue;
    const { strong, weak } = resolve(profile.samples[i]);
    const bucket = strong ?? weak ?? (functionName === '(garbage collector)' ? 'GC' : functionName === '(program)' ? 'V8 (program)' : 'node (HTTP parser, sockets, timers)');
    ms[bucket] += (profile.timeDeltas[i] ?? 0) / 1000;
  }
  return ms;
}

/** The table's lines: each bucket in microseconds per request (`requests` in the profiled window). */
export function costTableLines(ms, requests) {
  const us = (v) => ((v * 1000) / requests).toFixed(1).padStart(8);
  const total = Object.values(ms).reduce((a, b) => a + b, 0);
  return [
    `  ${'bucket'.padEnd(38)} us/request`,
    ...BUCKETS.map((b) => `  ${b.padEnd(38)}${us(ms[b])}`),
    `  ${'total (main thread, idle left out)'.padEnd(38)}${us(total)}`,
  ];
}
