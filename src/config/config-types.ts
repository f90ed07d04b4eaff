import type { BrokerConfig } from './broker-config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Typed configuration read once from the environment. A bad value stops the start, naming the
 * variable. Every key has its entry in CONFIG_TABLE (config/config-table.ts), which the compiler checks.
 */
export interface Config extends BrokerConfig {
  port: number;
  host: string;
  /** Base of every href and Location, e.g. https://hub.example.com; undefined uses the request's host. */
  publicUrl?: string;
  logLevel: LogLevel;
  listDefaultLimit: number;
  listMaxLimit: number;
  maxBodyBytes: number;
  mongodbUrl?: string;
  dbName?: string;
  /** How long a MongoDB operation waits for a reachable server before the API answers 503. */
  dbTimeoutMs: number;
  dbConnectAttempts: number;
  /** Delays before the 2nd, 3rd, ... delivery attempt. */
  retrySchedule: number[];
  deliveryTimeoutMs: number;
  retryAfterMaxMs: number;
  deliveryConcurrency: number;
  deliveryConcurrencyPerHub: number;
  deliveryPollMs: number;
  /** HUB_DELIVERY_THREAD: plain HTTP deliveries' requests on a thread of their own. */
  deliveryThread: 'on' | 'off';
  /** How long an outbox record staged by a publish may wait for its event before the sweeper settles it. */
  stagedGraceMs: number;
  listenerSuffix: boolean;
  workerEnabled: boolean;
  /** false: only the delivery worker and /health, /ready, /metrics (API and worker processes scaled apart). */
  apiEnabled: boolean;
  shutdownGraceMs: number;
  callbackPolicy: 'private-allowed' | 'public-only';
  callbackAllow: string[];
  /** Bearer keys of admin clients (api-key-1, ...); with none of the access settings below either, the API is open. */
  apiKeys: string[];
  /** HUB_CLIENTS_FILE: the clients (API keys, certificate subjects, token clients) with their roles, topic scopes and quotas. */
  clientsFile?: string;
  /** HUB_OIDC_ISSUER: OAuth2 bearer tokens (JWT) of this issuer are accepted; exactly their `iss`. */
  oidcIssuer?: string;
  /** HUB_OIDC_AUDIENCE: required in a token's `aud` (required with the issuer). */
  oidcAudience?: string;
  /** HUB_OIDC_CLIENT_ID: whose resource_access roles count; unset: the audience. */
  oidcClientId?: string;
  /** HUB_TLS_CERT and HUB_TLS_KEY: PEM files; both set, the hub serves HTTPS. */
  tlsCert?: string;
  tlsKey?: string;
  /** HUB_TLS_CLIENT_CA: PEM file of the CAs client certificates are verified against; set, the hub asks for one. */
  tlsClientCa?: string;
  /** HUB_TLS_CLIENT_CERT: `required` refuses a TLS client without a verified certificate at the handshake; unset: optional. */
  tlsClientCert?: TlsClientCertMode;
  /** HUB_PUBLIC_DOCS: /docs, /openapi.json and /asyncapi.json stay open when access control is on. */
  publicDocs: boolean;
  /** How often an idle live event stream reads the store (events other processes published). */
  streamPollMs: number;
  /** How often an open event stream sends a heartbeat comment (SSE) or a ping (WebSocket). */
  streamHeartbeatMs: number;
  /** How long a live stream waits for a sequence number it has not seen (a publish still storing) before moving past it. */
  streamGapGraceMs: number;
  /** Unsent bytes a WebSocket stream client may have queued at the hub before it is closed with 1013. */
  streamBufferBytes: number;
  /** Notifications per minute the CloudEvents validation handshake asks a listener for (WebHook-Request-Rate). */
  handshakeRate: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: when set, spans are exported over OTLP/HTTP to {endpoint}/v1/traces. */
  otlpEndpoint?: string;
  /** Entries kept per mock inbox; the oldest go first. */
  inboxLimit: number;
  /** Delivered and dead deliveries are deleted this long after they finished; 0 keeps them forever. */
  deliveryRetentionMs: number;
  /** Events the embedded store keeps at most; the oldest are dropped first. */
  memoryMaxEvents: number;
  /** Delivered and dead deliveries the embedded store keeps at most, before their retention. */
  memoryMaxDeliveries: number;
  /** Events older than this are deleted by the worker's sweep; 0 keeps them forever. */
  eventRetentionMs: number;
  /** Audit records older than this are deleted by a periodic sweep; 0 keeps them forever. */
  auditRetentionMs: number;
  /** Audit records the embedded store keeps at most; the oldest are dropped first. */
  memoryMaxAuditRecords: number;
  /** How long one request of a poll source may take (issue 28). */
  pollTimeoutMs: number;
  /** Largest answer body of one poll request. */
  pollMaxBytes: number;
  /** Resources one poll of a list reads at most. */
  pollMaxResources: number;
  /** Poll sources one process polls at once. */
  pollConcurrency: number;
  /** Where an ODA component's callback path is resolved: a URL template with {name}, {namespace}, {implementation}, {port}. */
  odaCallbackBase: string;
  /** Entries kept over all mock inboxes together; the oldest go first. */
  inboxMaxTotal: number;
  /** Unfinished deliveries past which publishing answers 503; 0: no limit. */
  maxPending: number;
  /** Publishes started per event-loop turn while this process's worker has attempts in flight; 0: unbounded. */
  publishPerTurn: number;
  /** Hub processes sharing the port (node:cluster), each with the API and a delivery worker; >1 needs MongoDB. */
  processes: number;
  /** The V8 heap limit of each hub process: derived from the caps (`auto`), Node's own (`off`), or this many bytes. */
  heapLimit: HeapLimit;
  /** V8's background threads in each hub process (--v8-pool-size): from the CPUs (`auto`), Node's own (`off`), or this many. */
  v8PoolSize: V8PoolSize;
  /** After a secret rotation, how long the previous secret keeps signing too. */
  secretRotationGraceMs: number;
  /** Events one replay may cover at most; a wider window is a 400. */
  replayMax: number;
  /** Load the sample data of seeds/ once the server listens (HUB_SEED). */
  seed: boolean;
  /** What publishing does with an event whose eventType has a schema, for topics that set no schemaValidation. */
  schemaValidation: SchemaValidationMode;
  /** How long a process trusts its cached latest schema version of an event type (other processes may register one). */
  schemaCacheTtlMs: number;
  /** HUB_KAFKA_BROKERS (host:port list): set, the Kafka bridge is on (kafka: callbacks, topic sources). */
  kafkaBrokers?: string[];
  kafkaClientId: string;
  /** The consumer group every hub process joins to read topic sources (they share the partitions). */
  kafkaGroup: string;
  kafkaTls: boolean;
  /** A PEM file of the certificate authorities to trust (TLS), instead of the system's. */
  kafkaTlsCaFile?: string;
  kafkaSaslMechanism?: KafkaSaslMechanism;
  kafkaSaslUsername?: string;
  /** Never logged, never shown. */
  kafkaSaslPassword?: string;
}

export type TlsClientCertMode = 'optional' | 'required';
export const TLS_CLIENT_CERT_MODES: readonly TlsClientCertMode[] = ['optional', 'required'];

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export const KAFKA_SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** off: no check; warn: accept, and say why in X-Schema-Warning; enforce: 400; strict: enforce, and refuse types with no schema. */
export type SchemaValidationMode = 'off' | 'warn' | 'enforce' | 'strict';
export const SCHEMA_VALIDATION_MODES: readonly SchemaValidationMode[] = ['off', 'warn', 'enforce', 'strict'];

/** The placeholders HUB_ODA_CALLBACK_BASE may hold, each filled from an ODA component's manifest (src/hub/oda-callback.ts). */
export const ODA_CALLBACK_PLACEHOLDERS = ['name', 'namespace', 'implementation', 'port'] as const;

/** HUB_HEAP_LIMIT: `auto` derives the heap limit from the caps (src/heap-ceiling.ts), `off` leaves Node's; or bytes. */
export type HeapLimit = 'auto' | 'off' | number;

/** HUB_V8_POOL_SIZE: `auto` sizes V8's thread pool from the CPUs (src/v8-pool.ts), `off` leaves Node's; or a count. */
export type V8PoolSize = 'auto' | 'off' | number;
