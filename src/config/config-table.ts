import { ACCESS_CONFIG_TABLE } from './config-table-access';
import { BROKER_CONFIG_ROWS } from './config-table-brokers';
import { AUDIT_CONFIG_TABLE } from './config-table-audit';
import { POLL_CONFIG_TABLE } from './config-table-poll';
import type { ConfigTable } from './config-entry';
import { KAFKA_SASL_MECHANISMS, ODA_CALLBACK_PLACEHOLDERS, SCHEMA_VALIDATION_MODES, type LogLevel } from './config-types';
import { boolean, heapLimit, v8PoolSize, hostPortList, secretText, byteSize, cidrList, duration, durationList, httpUrl, integer, mongoUrl, oneOf, text, urlTemplate } from './parsers';

export type { ConfigTable, Defaulted, Optional } from './config-entry';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** In the order --help lists them. */
export const CONFIG_TABLE: ConfigTable = {
  port: { env: 'PORT', parser: integer(0, 65535), fallback: 8080, help: 'HTTP port to listen on' },
  host: { env: 'HOST', parser: text, fallback: '0.0.0.0', help: 'Interface to listen on' },
  publicUrl: {
    env: 'HUB_PUBLIC_URL',
    parser: httpUrl,
    unsetMeans: '(request host)',
    help: 'Public base URL used in href and Location, e.g. https://hub.example.com',
  },
  logLevel: { env: 'LOG_LEVEL', parser: oneOf(LOG_LEVELS), fallback: 'info', help: 'debug, info, warn, error or silent' },
  listDefaultLimit: {
    env: 'HUB_LIST_DEFAULT_LIMIT',
    parser: integer(1),
    fallback: 100,
    help: 'Page size of list operations when the request gives no limit',
  },
  listMaxLimit: {
    env: 'HUB_LIST_MAX_LIMIT',
    parser: integer(1),
    fallback: 1000,
    help: 'Largest limit a list request may ask for (larger is a 400)',
  },
  maxBodyBytes: {
    env: 'HUB_MAX_BODY',
    parser: byteSize,
    fallback: 1024 * 1024,
    help: 'Largest request body accepted (larger is a 413); bytes, or with kb / mb',
  },
  mongodbUrl: {
    env: 'MONGODB_URL',
    parser: mongoUrl,
    unsetMeans: '(unset)',
    help: 'MongoDB connection string; unset uses the embedded in-memory store',
  },
  dbName: { env: 'HUB_DB_NAME', parser: text, unsetMeans: '(from URL, else tmf688)', help: 'MongoDB database name when the URL has none' },
  dbTimeoutMs: {
    env: 'HUB_DB_TIMEOUT',
    parser: duration(100),
    fallback: 5 * SECOND,
    help: 'How long a MongoDB operation waits for the database before the API answers 503',
  },
  dbConnectAttempts: {
    env: 'HUB_DB_CONNECT_ATTEMPTS',
    parser: integer(1),
    fallback: 10,
    help: 'Connection attempts at start (one per HUB_DB_TIMEOUT) before the process gives up',
  },
  retrySchedule: {
    env: 'HUB_RETRY_SCHEDULE',
    parser: durationList,
    fallback: [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR],
    help: 'Delays before each retry of a failed delivery (±20% jitter); when used up the delivery is dead',
  },
  deliveryTimeoutMs: {
    env: 'HUB_DELIVERY_TIMEOUT',
    parser: duration(10),
    fallback: 10 * SECOND,
    help: 'Time limit of one delivery attempt (connect, send, answer)',
  },
  retryAfterMaxMs: {
    env: 'HUB_RETRY_AFTER_MAX',
    parser: duration(0),
    fallback: HOUR,
    help: 'Largest Retry-After (on 429 and 503) that is honoured',
  },
  deliveryConcurrency: {
    env: 'HUB_DELIVERY_CONCURRENCY',
    parser: integer(1, 10_000),
    fallback: 64,
    help: 'Delivery attempts in flight at once in this process',
  },
  deliveryConcurrencyPerHub: {
    env: 'HUB_DELIVERY_CONCURRENCY_PER_HUB',
    parser: integer(1, 10_000),
    fallback: 32,
    help: 'Most delivery attempts in flight at once to one hub: the ceiling of its adaptive window, which starts at 4, grows while its listener answers fast and halves when it slows down or fails',
  },
  deliveryPollMs: {
    env: 'HUB_DELIVERY_POLL',
    parser: duration(10),
    fallback: SECOND,
    help: 'How often the worker looks for due retries and work from other processes',
  },
  deliveryThread: {
    env: 'HUB_DELIVERY_THREAD',
    parser: oneOf(['on', 'off'] as const),
    fallback: 'off',
    help:
      'on sends plain HTTP deliveries\' requests from a thread of their own, beside the API rather than in turn with it ' +
      '(needs the compiled hub: npm start, not npm run dev); off by default, see docs/performance.md for what it gains and costs',
  },
  stagedGraceMs: {
    env: 'HUB_STAGED_GRACE',
    parser: duration(10),
    fallback: MINUTE,
    help:
      'How long an outbox record staged by a publish may wait for its event before the sweeper settles it ' +
      '(releases it if the event was stored, deletes it if not)',
  },
  listenerSuffix: {
    env: 'HUB_LISTENER_SUFFIX',
    parser: boolean,
    fallback: false,
    help: 'true appends /listener/{eventType in lowerCamel} to every callback',
  },
  apiEnabled: {
    env: 'HUB_API_ENABLED',
    parser: boolean,
    fallback: true,
    help: 'false runs only the delivery worker and /health, /ready, /metrics (scale API and worker processes apart on one MongoDB)',
  },
  workerEnabled: {
    env: 'HUB_WORKER_ENABLED',
    parser: boolean,
    fallback: true,
    help: 'false runs the API only (deliveries are then sent by other processes)',
  },
  deliveryRetentionMs: {
    env: 'HUB_DELIVERY_RETENTION',
    parser: duration(0),
    fallback: 30 * DAY,
    help: 'How long delivered and dead deliveries (and their attempt log) are kept after they finished; 0 keeps them forever',
  },
  memoryMaxEvents: {
    env: 'HUB_MEMORY_MAX_EVENTS',
    parser: integer(1, 100_000_000),
    fallback: 100_000,
    help: 'Events the embedded store keeps at most (over all topics), and as many latest states apart; past it the oldest are dropped, logged once',
  },
  memoryMaxDeliveries: {
    env: 'HUB_MEMORY_MAX_DELIVERIES',
    parser: integer(1, 100_000_000),
    fallback: 100_000,
    help: 'Delivered and dead deliveries the embedded store keeps at most, before HUB_DELIVERY_RETENTION; pending ones are never dropped',
  },
  eventRetentionMs: {
    env: 'HUB_EVENT_RETENTION',
    parser: duration(0),
    fallback: 0,
    help: 'Events stored longer ago than this are deleted by the worker\'s sweep (both stores); 0 keeps them forever',
  },
  ...AUDIT_CONFIG_TABLE,
  inboxMaxTotal: {
    env: 'HUB_INBOX_MAX_TOTAL',
    parser: integer(1, 10_000_000),
    fallback: 10_000,
    help: 'Entries kept over all mock inboxes together (besides HUB_INBOX_LIMIT per inbox); the oldest are dropped first',
  },
  maxPending: {
    env: 'HUB_MAX_PENDING',
    parser: integer(0, 1_000_000_000),
    fallback: 200_000,
    help: 'Deliveries not yet delivered past which publishing answers 503 with Retry-After (backpressure) and /ready is not ready; 0: no limit',
  },
  publishPerTurn: {
    env: 'HUB_PUBLISH_PER_TURN',
    parser: integer(0, 10_000),
    fallback: 2,
    help: 'Publishes started per event-loop turn while a delivery attempt started in the last 100 ms is in flight, so full-speed ingest does not starve delivery; 0: unbounded',
  },
  processes: {
    env: 'HUB_PROCESSES',
    parser: integer(1, 256),
    fallback: 1,
    help: 'Hub processes sharing the port, each serving the API and delivering (uses several cores); more than 1 needs MONGODB_URL',
  },
  heapLimit: {
    env: 'HUB_HEAP_LIMIT',
    parser: heapLimit,
    fallback: 'auto',
    help: "Heap limit of each hub process: auto derives it from the caps (HUB_MEMORY_MAX_EVENTS, HUB_MEMORY_MAX_DELIVERIES, HUB_MEMORY_MAX_AUDIT_RECORDS, HUB_MAX_PENDING; 512mb on MongoDB), so memory plateaus; off leaves Node's; or a size such as 768mb. A --max-old-space-size given to Node wins",
  },
  v8PoolSize: {
    env: 'HUB_V8_POOL_SIZE',
    parser: v8PoolSize,
    fallback: 'auto',
    help: "V8's background threads (garbage collection, compilation) in each hub process: auto gives each process's share of the CPUs (a container's CPU limit counts) less one for its own thread, at least 1 and at most 4; off leaves Node's 4; or a number. A --v8-pool-size given to Node wins",
  },
  secretRotationGraceMs: {
    env: 'HUB_SECRET_ROTATION_GRACE',
    parser: duration(0),
    fallback: DAY,
    help: 'After a secret rotation, how long the previous secret keeps signing too (both signatures are sent)',
  },
  replayMax: {
    env: 'HUB_REPLAY_MAX',
    parser: integer(1, 10_000_000),
    fallback: 100_000,
    help: 'Events one replay (POST .../hub/{hubId}/replay) may cover at most; a wider window is a 400',
  },
  shutdownGraceMs: {
    env: 'HUB_SHUTDOWN_GRACE',
    parser: duration(0),
    fallback: 10 * SECOND,
    help: 'How long shutdown waits for delivery attempts in flight',
  },
  callbackPolicy: {
    env: 'HUB_CALLBACK_POLICY',
    parser: oneOf(['private-allowed', 'public-only'] as const),
    fallback: 'private-allowed',
    help: 'public-only also refuses loopback, private, CGNAT and unique-local callback addresses',
  },
  callbackAllow: {
    env: 'HUB_CALLBACK_ALLOW',
    parser: cidrList,
    fallback: [],
    help: 'Comma-separated CIDRs allowed under public-only anyway, e.g. 10.20.0.0/16',
  },
  // Who may call the API: HUB_API_KEYS, HUB_CLIENTS_FILE, OAuth2 tokens, TLS and client certificates.
  ...ACCESS_CONFIG_TABLE,
  // Topics whose source polls an HTTP API: HUB_POLL_TIMEOUT, HUB_POLL_MAX_BYTES, ...
  ...POLL_CONFIG_TABLE,
  odaCallbackBase: {
    env: 'HUB_ODA_CALLBACK_BASE',
    parser: urlTemplate(ODA_CALLBACK_PLACEHOLDERS),
    fallback: 'http://{implementation}.{namespace}.svc.cluster.local:{port}',
    help: 'Where an ODA component\'s callback path (PUT /odaComponent) is resolved; {name}, {namespace}, {implementation} and {port} come from its manifest',
  },
  streamPollMs: {
    env: 'HUB_STREAM_POLL',
    parser: duration(10),
    fallback: SECOND,
    help: 'How often an idle live event stream reads the store, to see events published by other processes',
  },
  streamHeartbeatMs: {
    env: 'HUB_STREAM_HEARTBEAT',
    parser: duration(100),
    fallback: 15 * SECOND,
    help: 'How often an open live event stream sends a comment (SSE) or a ping (WebSocket), so proxies keep it open',
  },
  streamGapGraceMs: {
    env: 'HUB_STREAM_GAP_GRACE',
    parser: duration(0),
    fallback: 2 * SECOND,
    help: 'How long a live event stream waits for a missing sequence number (an event another process is still storing) before it moves past it',
  },
  streamBufferBytes: {
    env: 'HUB_STREAM_BUFFER',
    parser: byteSize,
    fallback: 1024 * 1024,
    help: 'Unsent data a WebSocket stream client may have queued at the hub; beyond it the client is closed with 1013 and resumes with lastEventId',
  },
  handshakeRate: {
    env: 'HUB_HANDSHAKE_RATE',
    parser: integer(1),
    fallback: 600,
    help: 'Notifications per minute the CloudEvents validation handshake of a hub created with "validate": true asks for (WebHook-Request-Rate)',
  },
  otlpEndpoint: {
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    parser: httpUrl,
    unsetMeans: '(unset)',
    help: 'OpenTelemetry collector base URL; when set, publish and delivery-attempt spans are exported over OTLP/HTTP (JSON) to {endpoint}/v1/traces',
  },
  inboxLimit: {
    env: 'HUB_INBOX_LIMIT',
    parser: integer(1, 1_000_000),
    fallback: 1000,
    help: 'Notifications kept per mock inbox (/inbox/{name}, /listener/*); the oldest are dropped first',
  },
  seed: {
    env: 'HUB_SEED',
    parser: boolean,
    fallback: false,
    help: "true loads the sample topics, hubs and events of seeds/ at start, delivering to the hub's own inbox",
  },
  schemaValidation: {
    env: 'HUB_SCHEMA_VALIDATION',
    parser: oneOf(SCHEMA_VALIDATION_MODES),
    fallback: 'off',
    help: 'Schema validation of published events for topics without a schemaValidation attribute: off, warn, enforce or strict',
  },
  schemaCacheTtlMs: {
    env: 'HUB_SCHEMA_CACHE_TTL',
    parser: duration(0),
    fallback: 5 * SECOND,
    help: 'How long a process reuses the latest schema version it read for an event type before asking the store again (schemas registered through other processes)',
  },
  kafkaBrokers: {
    env: 'HUB_KAFKA_BROKERS',
    parser: hostPortList,
    unsetMeans: '(unset: no Kafka)',
    help: 'Kafka bootstrap brokers, comma-separated host:port; set, the Kafka bridge is on: `kafka:<topic>` callbacks and topic `source`s',
  },
  kafkaClientId: { env: 'HUB_KAFKA_CLIENT_ID', parser: text, fallback: 'tmf688-hub', help: 'The client id the hub gives Kafka' },
  kafkaGroup: {
    env: 'HUB_KAFKA_GROUP',
    parser: text,
    fallback: 'tmf688-hub',
    help: 'Consumer group of the topic sources; hub processes with the same group share the partitions',
  },
  kafkaTls: { env: 'HUB_KAFKA_TLS', parser: boolean, fallback: false, help: 'true connects to the brokers over TLS' },
  kafkaTlsCaFile: {
    env: 'HUB_KAFKA_TLS_CA',
    parser: text,
    unsetMeans: "(the system's)",
    help: 'PEM file of the certificate authorities trusted for the brokers (with HUB_KAFKA_TLS=true)',
  },
  kafkaSaslMechanism: {
    env: 'HUB_KAFKA_SASL_MECHANISM',
    parser: oneOf(KAFKA_SASL_MECHANISMS),
    unsetMeans: '(no SASL)',
    help: 'SASL authentication: plain, scram-sha-256 or scram-sha-512 (with HUB_KAFKA_SASL_USERNAME and HUB_KAFKA_SASL_PASSWORD)',
  },
  kafkaSaslUsername: { env: 'HUB_KAFKA_SASL_USERNAME', parser: text, unsetMeans: '(unset)', help: 'SASL user name' },
  kafkaSaslPassword: { env: 'HUB_KAFKA_SASL_PASSWORD', parser: secretText, unsetMeans: '(unset)', help: 'SASL password; never logged' },
  ...BROKER_CONFIG_ROWS,
};
