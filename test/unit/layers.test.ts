import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

/**
 * The layering of src/ (docs/development.md, Layout): imports point down only. A file's layer is its first
 * path segment under src/; a layer may import its own and lower ranks, never a higher one, and hub
 * and delivery (beside each other) never import each other. Type-only imports count too.
 */
const RANKS: Record<string, number> = {
  errors: 0, paths: 0, config: 0,
  // How Node reads its options (NODE_OPTIONS, then the command line): the heap limit and the V8 pool use it.
  'node-options': 0,
  // Text rules every layer shares (how JSON Schema counts characters).
  text: 0,
  logger: 1, query: 1,
  // The heap limit derived from the caps (pure: what the configuration asks for).
  'heap-ceiling': 1,
  // V8's thread pool from the CPUs (pure, but for reading the container's CPU limit).
  'v8-pool': 1,
  // Pure mappings that the domain (what an outbox record keeps), the worker (what an attempt sends)
  // and the HTTP layer (the WebSocket stream) all use: leaves, like the query language.
  cloudevents: 1, tracing: 1,
  // What a listener may require of deliveries (auth, client certificate, headers): read and checked
  // where hubs are created (hub), applied where attempts are made (delivery), both its users.
  credentials: 1,
  // What every broker adapter shares (the source-reading bookkeeping, derived eventIds, dead-letter
  // headers, the status shape, redaction): a leaf the adapters, metrics and HTTP layer import.
  bridge: 1,
  store: 2,
  // The periodic jobs' runner: generic, it knows only the logger; the composition root fills it.
  scheduler: 2,
  // The Kafka adapter: infrastructure like the stores; it implements the domain's ports structurally, importing none.
  kafka: 2,
  // NATS JetStream, RabbitMQ (AMQP 0-9-1) and MQTT 5: the same shape as the Kafka adapter.
  nats: 2, amqp: 2, mqtt: 2,
  // The HTTP poller as a topic source (issue 28): its pure core (diffs, TMF events, JSON Patch, paging,
  // the source's validation), which the hub's topics and streams use, and the poller itself, which the
  // composition root hands the ingest, the guarded client and the state store, like the broker adapters.
  poll: 2,
  // Access control's building blocks (principals, clients file, token and certificate identity,
  // quotas): the HTTP layer and the services use them, and they use nothing of the hub's.
  access: 2,
  hub: 3, delivery: 3,
  metrics: 4,
  // The process's heap as the backpressure reads it (the domain's HeapUse, from V8's statistics).
  'heap-use': 4,
  http: 5,
  'compose-hub': 6,
  seed: 7,
  // The primary of HUB_PROCESSES: forks and watches the hub processes.
  supervisor: 7,
  // Runs the process again with its heap limit (V8 reads it only at start).
  'heap-relaunch': 7,
  // One hub process: access, the hub, listening, the orderly stop; or the supervisor of several.
  'run-hub': 8,
  main: 9,
  cli: 10,
};
/** Only these layers may use a framework or driver; the domain stays free of them. */
const FRAMEWORKS: Record<string, readonly string[]> = {
  koa: ['http', 'compose-hub'], '@koa/router': ['http'], 'openapi-backend': ['http', 'compose-hub'], mongodb: ['store/mongo'],
  ws: ['http'],
  // Only the Kafka adapter, which the composition root loads only when HUB_KAFKA_BROKERS is set.
  kafkajs: ['kafka'],
  // Likewise each broker's client library, only in its adapter.
  nats: ['nats/'], amqplib: ['amqp/'], mqtt: ['mqtt/'],
  // The SDK sits behind the Tracer port, in the one file the composition root loads only when an exporter is configured.
  '@opentelemetry/api': ['tracing/otel-tracer'],
  '@opentelemetry/sdk-trace-base': ['tracing/otel-tracer'],
  '@opentelemetry/exporter-trace-otlp-http': ['tracing/otel-tracer'],
  '@opentelemetry/resources': ['tracing/otel-tracer'],
  // Only the OAuth2 token verifier and its key set (src/access/oidc-*).
  jose: ['access/oidc-'],
  // RFC 6902 diffs are made in one place: the poll core's json-patch module.
  rfc6902: ['poll/json-patch'],
};

type Graph = ReadonlyMap<string, readonly string[]>;

const layerOf = (file: string): string => file.replace(/^src\//, '').split('/')[0].replace(/\.ts$/, '');

/** Every import that breaks the layering, and every cycle, as readable lines. Pure, so it is tested below. */
export function layerViolations(graph: Graph): string[] {
  const problems: string[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file);
    for (const target of imports) {
      if (!target.startsWith('src/')) {
        const allowed = FRAMEWORKS[target];
        if (allowed && !allowed.some((prefix) => file.startsWith(`src/${prefix}`))) problems.push(`${file} imports ${target}`);
        continue;
      }
      const to = layerOf(target);
      if (from === to) continue;
      if (RANKS[from] === undefined || RANKS[to] === undefined) problems.push(`${file} -> ${target}: unknown layer`);
      else if (RANKS[to] > RANKS[from] || RANKS[to] === RANKS[from]) problems.push(`${file} (${from}) imports upward or sideways: ${target} (${to})`);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      problems.push(`import cycle: ${[...path.slice(path.indexOf(file)), file].join(' -> ')}`);
      return;
    }
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** src/ as a graph: each file's imports, relative ones resolved to src/... paths, packages by name. */
function readGraph(): Graph {
  const graph = new Map<string, string[]>();
  for (const path of sourceFiles(join(PROJECT_ROOT, 'src'))) {
    const text = readFileSync(path, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    graph.set(
      relative(PROJECT_ROOT, path),
      specifiers.map((s) => {
        if (!s.startsWith('.')) return s;
        const base = resolve(dirname(path), s);
        const file = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => {
          try {
            return statSync(candidate).isFile();
          } catch {
            return false;
          }
        });
        return relative(PROJECT_ROOT, file ?? base);
      }),
    );
  }
  return graph;
}

describe('layers', () => {
  it.each<[string, Record<string, string[]>, RegExp | undefined]>([
    ['a downward import', { 'src/hub/a.ts': ['src/store/b.ts'], 'src/store/b.ts': [] }, undefined],
    ['an upward import', { 'src/store/b.ts': ['src/hub/a.ts'], 'src/hub/a.ts': [] }, /src\/store\/b\.ts \(store\) imports upward/],
    ['hub importing delivery', { 'src/hub/a.ts': ['src/delivery/c.ts'], 'src/delivery/c.ts': [] }, /sideways/],
    ['a cycle inside one layer', { 'src/hub/a.ts': ['src/hub/b.ts'], 'src/hub/b.ts': ['src/hub/a.ts'] }, /import cycle: src\/hub\/a\.ts -> src\/hub\/b\.ts -> src\/hub\/a\.ts/],
    ['the driver outside the mongo store', { 'src/hub/a.ts': ['mongodb'] }, /src\/hub\/a\.ts imports mongodb/],
    ['koa in the domain', { 'src/delivery/a.ts': ['koa'] }, /imports koa/],
    ['the driver in the mongo store', { 'src/store/mongo/a.ts': ['mongodb'] }, undefined],
    ['ws in the domain', { 'src/hub/a.ts': ['ws'] }, /imports ws/],
    ['kafkajs in the delivery worker', { 'src/delivery/a.ts': ['kafkajs'] }, /src\/delivery\/a\.ts imports kafkajs/],
    ['kafkajs in the composition root', { 'src/compose-hub.ts': ['kafkajs'] }, /imports kafkajs/],
    ['kafkajs in the Kafka adapter', { 'src/kafka/kafka-producer.ts': ['kafkajs'] }, undefined],
    ['the Kafka adapter importing the domain', { 'src/kafka/a.ts': ['src/hub/b.ts'], 'src/hub/b.ts': [] }, /\(kafka\) imports upward/],
    ['the NATS client in its adapter', { 'src/nats/nats-bridge.ts': ['nats'] }, undefined],
    ['the NATS client in the Kafka adapter', { 'src/kafka/a.ts': ['nats'] }, /src\/kafka\/a\.ts imports nats/],
    ['amqplib outside its adapter', { 'src/hub/a.ts': ['amqplib'] }, /imports amqplib/],
    ['the MQTT client in the composition root', { 'src/compose-hub.ts': ['mqtt'] }, /imports mqtt/],
    ['the MQTT client in its adapter', { 'src/mqtt/mqtt-bridge.ts': ['mqtt'] }, undefined],
    ['an adapter beside another', { 'src/nats/a.ts': ['src/kafka/b.ts'], 'src/kafka/b.ts': [] }, /sideways/],
    ['an adapter on the shared bridge leaf', { 'src/amqp/a.ts': ['src/bridge/b.ts'], 'src/bridge/b.ts': [] }, undefined],
    ['the shared bridge leaf on the logger', { 'src/bridge/a.ts': ['src/logger.ts'], 'src/logger.ts': [] }, /sideways/],
    ['the OpenTelemetry SDK outside its adapter', { 'src/delivery/a.ts': ['@opentelemetry/sdk-trace-base'] }, /imports @opentelemetry/],
    ['jose in the token verifier', { 'src/access/oidc-verifier.ts': ['jose'] }, undefined],
    ['jose elsewhere in access', { 'src/access/principal.ts': ['jose'] }, /src\/access\/principal\.ts imports jose/],
    ['jose in the HTTP layer', { 'src/http/a.ts': ['jose'] }, /imports jose/],
    ['access importing the domain', { 'src/access/a.ts': ['src/hub/b.ts'], 'src/hub/b.ts': [] }, /\(access\) imports upward/],
    ['access beside the stores', { 'src/access/a.ts': ['src/store/b.ts'], 'src/store/b.ts': [] }, /sideways/],
  ])('should judge %s', (_case, graph, problem) => {
    const found = layerViolations(new Map(Object.entries(graph)));
    if (problem) expect(found.join('\n')).toMatch(problem);
    else expect(found).toEqual([]);
  });

  it('should find every file of src/ in a known layer, importing only down, with no cycle', () => {
    const graph = readGraph();
    expect(graph.size).toBeGreaterThan(50);
    expect(layerViolations(graph)).toEqual([]);
  });
});
