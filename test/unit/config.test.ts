import { ConfigError, loadConfig } from '../../src/config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

describe('loadConfig', () => {
  it('should give the defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      listDefaultLimit: 100,
      listMaxLimit: 1000,
      maxBodyBytes: 1048576,
    });
    expect(config.publicUrl).toBeUndefined();
    expect(config.mongodbUrl).toBeUndefined();
    expect(config.dbName).toBeUndefined();
  });

  it('should treat blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', HOST: '', LOG_LEVEL: ' ', HUB_PUBLIC_URL: '', MONGODB_URL: ' ' });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.logLevel).toBe('info');
    expect(config.publicUrl).toBeUndefined();
    expect(config.mongodbUrl).toBeUndefined();
  });

  describe('valid overrides', () => {
    it.each<[string, NodeJS.ProcessEnv, Record<string, unknown>]>([
      ['PORT=9000', { PORT: '9000' }, { port: 9000 }],
      ['PORT=0', { PORT: '0' }, { port: 0 }],
      ['PORT=65535', { PORT: '65535' }, { port: 65535 }],
      ['HOST=127.0.0.1', { HOST: '127.0.0.1' }, { host: '127.0.0.1' }],
      ['HUB_MAX_BODY=512kb', { HUB_MAX_BODY: '512kb' }, { maxBodyBytes: 524288 }],
      ['HUB_MAX_BODY=2mb', { HUB_MAX_BODY: '2mb' }, { maxBodyBytes: 2097152 }],
      ['HUB_MAX_BODY=2MB', { HUB_MAX_BODY: '2MB' }, { maxBodyBytes: 2097152 }],
      ['HUB_MAX_BODY=100', { HUB_MAX_BODY: '100' }, { maxBodyBytes: 100 }],
      ['HUB_MAX_BODY=100b', { HUB_MAX_BODY: '100b' }, { maxBodyBytes: 100 }],
      ['HUB_PUBLIC_URL with a trailing slash', { HUB_PUBLIC_URL: 'https://hub.example.com/' }, { publicUrl: 'https://hub.example.com' }],
      ['HUB_PUBLIC_URL with a path', { HUB_PUBLIC_URL: 'http://example.com/tmf688/' }, { publicUrl: 'http://example.com/tmf688' }],
      ['LOG_LEVEL=DEBUG', { LOG_LEVEL: 'DEBUG' }, { logLevel: 'debug' }],
      ['LOG_LEVEL=silent', { LOG_LEVEL: 'silent' }, { logLevel: 'silent' }],
      ['HUB_LIST_DEFAULT_LIMIT=20', { HUB_LIST_DEFAULT_LIMIT: '20' }, { listDefaultLimit: 20, listMaxLimit: 1000 }],
      ['both list limits', { HUB_LIST_DEFAULT_LIMIT: '50', HUB_LIST_MAX_LIMIT: '50' }, { listDefaultLimit: 50, listMaxLimit: 50 }],
      ['MONGODB_URL', { MONGODB_URL: 'mongodb://localhost:27017/hub' }, { mongodbUrl: 'mongodb://localhost:27017/hub' }],
      ['MONGODB_URL with +srv', { MONGODB_URL: 'mongodb+srv://cluster.example.net' }, { mongodbUrl: 'mongodb+srv://cluster.example.net' }],
      ['HUB_DB_NAME', { HUB_DB_NAME: 'events' }, { dbName: 'events' }],
      ['HUB_AUDIT_RETENTION=30d', { HUB_AUDIT_RETENTION: '30d' }, { auditRetentionMs: 2_592_000_000 }],
      ['HUB_AUDIT_RETENTION=0 (keep forever)', { HUB_AUDIT_RETENTION: '0' }, { auditRetentionMs: 0 }],
      ['HUB_MEMORY_MAX_AUDIT_RECORDS=500', { HUB_MEMORY_MAX_AUDIT_RECORDS: '500' }, { memoryMaxAuditRecords: 500 }],
    ])('should parse %s', (_label, env, expected) => {
      expect(loadConfig(env)).toMatchObject(expected);
    });
  });

  describe('invalid values', () => {
    it.each<[string, NodeJS.ProcessEnv, string]>([
      ['PORT=abc', { PORT: 'abc' }, 'PORT'],
      ['PORT=70000', { PORT: '70000' }, 'PORT'],
      ['PORT=-1', { PORT: '-1' }, 'PORT'],
      ['PORT=80.5', { PORT: '80.5' }, 'PORT'],
      ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      ['HUB_LIST_MAX_LIMIT=0', { HUB_LIST_MAX_LIMIT: '0' }, 'HUB_LIST_MAX_LIMIT'],
      ['HUB_LIST_DEFAULT_LIMIT=0', { HUB_LIST_DEFAULT_LIMIT: '0' }, 'HUB_LIST_DEFAULT_LIMIT'],
      ['HUB_LIST_DEFAULT_LIMIT=2000 with the default max', { HUB_LIST_DEFAULT_LIMIT: '2000' }, 'HUB_LIST_DEFAULT_LIMIT'],
      ['HUB_LIST_DEFAULT_LIMIT above HUB_LIST_MAX_LIMIT', { HUB_LIST_DEFAULT_LIMIT: '60', HUB_LIST_MAX_LIMIT: '50' }, 'HUB_LIST_DEFAULT_LIMIT'],
      ['HUB_MAX_BODY=lots', { HUB_MAX_BODY: 'lots' }, 'HUB_MAX_BODY'],
      ['HUB_MAX_BODY=0', { HUB_MAX_BODY: '0' }, 'HUB_MAX_BODY'],
      ['HUB_MAX_BODY=1gb', { HUB_MAX_BODY: '1gb' }, 'HUB_MAX_BODY'],
      ['HUB_PUBLIC_URL=not-a-url', { HUB_PUBLIC_URL: 'not-a-url' }, 'HUB_PUBLIC_URL'],
      ['HUB_PUBLIC_URL=ftp://x', { HUB_PUBLIC_URL: 'ftp://x' }, 'HUB_PUBLIC_URL'],
      ['MONGODB_URL=postgres://x', { MONGODB_URL: 'postgres://x' }, 'MONGODB_URL'],
      ['MONGODB_URL without a host', { MONGODB_URL: 'mongodb://' }, 'MONGODB_URL'],
      ['HUB_AUDIT_RETENTION=ninety days', { HUB_AUDIT_RETENTION: 'ninety days' }, 'HUB_AUDIT_RETENTION'],
      ['HUB_MEMORY_MAX_AUDIT_RECORDS=0', { HUB_MEMORY_MAX_AUDIT_RECORDS: '0' }, 'HUB_MEMORY_MAX_AUDIT_RECORDS'],
    ])('should reject %s naming the variable', (_label, env, variable) => {
      const error = configError(env);
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(variable);
      expect(error.name).toBe('ConfigError');
      expect(error).toBeInstanceOf(Error);
    });

    it('should include the offending value in the message', () => {
      expect(configError({ PORT: 'abc' }).message).toContain('"abc"');
      expect(configError({ LOG_LEVEL: 'loud' }).message).toContain('loud');
    });
  });
});

describe('loadConfig: every default, written out', () => {
  // Independent of the table on purpose: a default changed there by accident fails here.
  it('should give these values for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: undefined,
      logLevel: 'info',
      listDefaultLimit: 100,
      listMaxLimit: 1000,
      maxBodyBytes: 1_048_576,
      mongodbUrl: undefined,
      dbName: undefined,
      dbTimeoutMs: 5_000,
      dbConnectAttempts: 10,
      retrySchedule: [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000],
      deliveryTimeoutMs: 10_000,
      retryAfterMaxMs: 3_600_000,
      deliveryConcurrency: 64,
      deliveryConcurrencyPerHub: 32,
      deliveryPollMs: 1_000,
      deliveryThread: 'off',
      stagedGraceMs: 60_000,
      listenerSuffix: false,
      apiEnabled: true,
      workerEnabled: true,
      deliveryRetentionMs: 2_592_000_000,
      memoryMaxEvents: 100_000,
      memoryMaxDeliveries: 100_000,
      eventRetentionMs: 0,
      auditRetentionMs: 7_776_000_000,
      memoryMaxAuditRecords: 100_000,
      inboxMaxTotal: 10_000,
      odaCallbackBase: 'http://{implementation}.{namespace}.svc.cluster.local:{port}',
      maxPending: 200_000,
      publishPerTurn: 2,
      processes: 1,
      heapLimit: 'auto',
      v8PoolSize: 'auto',
      secretRotationGraceMs: 86_400_000,
      replayMax: 100_000,
      shutdownGraceMs: 10_000,
      callbackPolicy: 'private-allowed',
      callbackAllow: [],
      pollTimeoutMs: 10_000,
      pollMaxBytes: 10 * 1024 * 1024,
      pollMaxResources: 100_000,
      pollConcurrency: 4,
      apiKeys: [],
      publicDocs: true,
      streamPollMs: 1_000,
      streamHeartbeatMs: 15_000,
      streamGapGraceMs: 2_000,
      streamBufferBytes: 1024 * 1024,
      handshakeRate: 600,
      inboxLimit: 1000,
      seed: false,
      schemaValidation: 'off',
      schemaCacheTtlMs: 5000,
      kafkaClientId: 'tmf688-hub',
      kafkaGroup: 'tmf688-hub',
      kafkaTls: false,
      natsConsumer: 'tmf688-hub',
      natsTls: false,
      amqpTls: false,
      mqttClientId: 'tmf688-hub',
      mqttGroup: 'tmf688-hub',
      mqttTls: false,
    });
  });
});

describe('loadConfig: delivery settings', () => {
  it('should default to the documented schedule and limits', () => {
    const config = loadConfig({});
    expect(config.retrySchedule).toEqual([5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
    expect(config).toMatchObject({
      deliveryTimeoutMs: 10_000,
      retryAfterMaxMs: 3_600_000,
      deliveryConcurrency: 64,
      deliveryConcurrencyPerHub: 32,
      deliveryPollMs: 1_000,
      listenerSuffix: false,
      workerEnabled: true,
      shutdownGraceMs: 10_000,
    });
  });

  it.each([
    [{ HUB_RETRY_SCHEDULE: '100ms, 2s,1m' }, 'retrySchedule', [100, 2_000, 60_000]],
    [{ HUB_RETRY_SCHEDULE: 'none' }, 'retrySchedule', []],
    [{ HUB_DELIVERY_TIMEOUT: '1.5s' }, 'deliveryTimeoutMs', 1_500],
    [{ HUB_LISTENER_SUFFIX: 'TRUE' }, 'listenerSuffix', true],
    [{ HUB_WORKER_ENABLED: '0' }, 'workerEnabled', false],
    [{ HUB_DELIVERY_POLL: '250' }, 'deliveryPollMs', 250],
    [{ HUB_DELIVERY_THREAD: 'on' }, 'deliveryThread', 'on'],
    [{}, 'streamPollMs', 1_000],
    [{ HUB_STREAM_POLL: '200ms' }, 'streamPollMs', 200],
    [{}, 'streamHeartbeatMs', 15_000],
    [{ HUB_STREAM_HEARTBEAT: '30s' }, 'streamHeartbeatMs', 30_000],
    [{ HUB_STREAM_BUFFER: '64kb' }, 'streamBufferBytes', 64 * 1024],
    [{ HUB_HANDSHAKE_RATE: '60' }, 'handshakeRate', 60],
    [{}, 'otlpEndpoint', undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, 'otlpEndpoint', 'http://127.0.0.1:4318'],
    [{}, 'inboxLimit', 1000],
    [{ HUB_INBOX_LIMIT: '50' }, 'inboxLimit', 50],
    [{}, 'deliveryRetentionMs', 30 * 86_400_000],
    [{ HUB_DELIVERY_RETENTION: '12h' }, 'deliveryRetentionMs', 43_200_000],
    [{ HUB_DELIVERY_RETENTION: '0' }, 'deliveryRetentionMs', 0],
    [{}, 'apiEnabled', true],
    [{ HUB_API_ENABLED: 'FALSE' }, 'apiEnabled', false],
    [{ HUB_API_ENABLED: '1' }, 'apiEnabled', true],
    [{}, 'stagedGraceMs', 60_000],
    [{ HUB_STAGED_GRACE: '10ms' }, 'stagedGraceMs', 10],
    [{ HUB_STAGED_GRACE: '5m' }, 'stagedGraceMs', 300_000],
    [{}, 'kafkaBrokers', undefined],
    [{ HUB_KAFKA_BROKERS: '127.0.0.1:9092, kafka-1.example:19092,[::1]:9093' }, 'kafkaBrokers', ['127.0.0.1:9092', 'kafka-1.example:19092', '[::1]:9093']],
    [{ HUB_KAFKA_GROUP: 'hubs-eu' }, 'kafkaGroup', 'hubs-eu'],
    [{ HUB_KAFKA_TLS: 'true' }, 'kafkaTls', true],
    [
      { HUB_KAFKA_SASL_MECHANISM: 'scram-sha-512', HUB_KAFKA_SASL_USERNAME: 'hub', HUB_KAFKA_SASL_PASSWORD: 'pw' },
      'kafkaSaslMechanism',
      'scram-sha-512',
    ],
  ])('should read %j', (env, key, value) => {
    expect(loadConfig(env)[key as keyof ReturnType<typeof loadConfig>]).toEqual(value);
  });

  it.each([
    [{ HUB_RETRY_SCHEDULE: '5s,,1m' }, 'HUB_RETRY_SCHEDULE'],
    [{ HUB_KAFKA_BROKERS: 'localhost' }, 'HUB_KAFKA_BROKERS'],
    [{ HUB_KAFKA_BROKERS: 'localhost:0' }, 'HUB_KAFKA_BROKERS'],
    [{ HUB_KAFKA_BROKERS: 'http://broker:9092' }, 'HUB_KAFKA_BROKERS'],
    [{ HUB_KAFKA_SASL_MECHANISM: 'gssapi' }, 'HUB_KAFKA_SASL_MECHANISM'],
    [{ HUB_KAFKA_SASL_MECHANISM: 'plain', HUB_KAFKA_SASL_USERNAME: 'hub' }, 'HUB_KAFKA_SASL_MECHANISM'],
    [{ HUB_RETRY_SCHEDULE: '5 minutes' }, 'HUB_RETRY_SCHEDULE'],
    [{ HUB_DELIVERY_TIMEOUT: '5ms' }, 'HUB_DELIVERY_TIMEOUT'],
    [{ HUB_LISTENER_SUFFIX: 'yes' }, 'HUB_LISTENER_SUFFIX'],
    [{ HUB_DELIVERY_CONCURRENCY: '0' }, 'HUB_DELIVERY_CONCURRENCY'],
    [{ HUB_DELIVERY_THREAD: 'auto' }, 'HUB_DELIVERY_THREAD'],
    [{ HUB_STREAM_POLL: '1ms' }, 'HUB_STREAM_POLL'],
    [{ HUB_STREAM_HEARTBEAT: 'often' }, 'HUB_STREAM_HEARTBEAT'],
    [{ HUB_INBOX_LIMIT: '0' }, 'HUB_INBOX_LIMIT'],
    [{ HUB_DELIVERY_RETENTION: 'a week' }, 'HUB_DELIVERY_RETENTION'],
    [{ HUB_API_ENABLED: 'no' }, 'HUB_API_ENABLED'],
    [{ HUB_STAGED_GRACE: '9ms' }, 'HUB_STAGED_GRACE'],
    [{ HUB_STAGED_GRACE: 'soon' }, 'HUB_STAGED_GRACE'],
  ])('should refuse %j naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

describe('loadConfig: process roles', () => {
  it.each([
    [{ HUB_API_ENABLED: 'false' }, { apiEnabled: false, workerEnabled: true }],
    [{ HUB_WORKER_ENABLED: 'false' }, { apiEnabled: true, workerEnabled: false }],
  ])('should run %j', (env, roles) => {
    expect(loadConfig(env)).toMatchObject(roles);
  });

  it('should refuse neither the API nor the worker, since the process would do nothing', () => {
    const error = configError({ HUB_API_ENABLED: 'false', HUB_WORKER_ENABLED: '0' });
    expect(error.variable).toBe('HUB_API_ENABLED');
    expect(error.message).toBe('Invalid configuration: HUB_API_ENABLED and HUB_WORKER_ENABLED are both false: the process would do nothing');
  });

  it('should report a value that does not parse before a combination that does not fit', () => {
    expect(configError({ HUB_API_ENABLED: 'false', HUB_WORKER_ENABLED: 'off' }).variable).toBe('HUB_WORKER_ENABLED');
  });
});

describe('loadConfig: security settings', () => {
  it('should default to private networks allowed, no allow list and no API keys', () => {
    expect(loadConfig({})).toMatchObject({ callbackPolicy: 'private-allowed', callbackAllow: [], apiKeys: [] });
  });

  it('should read the policy, CIDRs and keys', () => {
    const config = loadConfig({
      HUB_CALLBACK_POLICY: 'public-only',
      HUB_CALLBACK_ALLOW: '10.20.0.0/16, fd12::/16',
      HUB_API_KEYS: 'first-key-0123456789,second-key-0123456789',
    });
    expect(config).toMatchObject({
      callbackPolicy: 'public-only',
      callbackAllow: ['10.20.0.0/16', 'fd12::/16'],
      apiKeys: ['first-key-0123456789', 'second-key-0123456789'],
    });
  });

  it.each([
    [{ HUB_CALLBACK_POLICY: 'strict' }, 'HUB_CALLBACK_POLICY'],
    [{ HUB_CALLBACK_ALLOW: '10.0.0.0' }, 'HUB_CALLBACK_ALLOW'],
    [{ HUB_CALLBACK_ALLOW: '10.0.0.0/33' }, 'HUB_CALLBACK_ALLOW'],
    [{ HUB_CALLBACK_ALLOW: 'example.com/8' }, 'HUB_CALLBACK_ALLOW'],
    [{ HUB_API_KEYS: 'short' }, 'HUB_API_KEYS'],
  ])('should refuse %j naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('should read the access settings, keeping the issuer exactly as written', () => {
    const file = __filename;
    const config = loadConfig({
      HUB_CLIENTS_FILE: file,
      HUB_OIDC_ISSUER: 'https://idp.example.com/realms/csp/',
      HUB_OIDC_AUDIENCE: 'tmf688-hub',
      HUB_OIDC_CLIENT_ID: 'hub-roles',
      HUB_TLS_CERT: file,
      HUB_TLS_KEY: file,
      HUB_TLS_CLIENT_CA: file,
      HUB_TLS_CLIENT_CERT: 'Required',
      HUB_PUBLIC_DOCS: 'false',
    });
    expect(config).toMatchObject({
      clientsFile: file,
      oidcIssuer: 'https://idp.example.com/realms/csp/',
      oidcAudience: 'tmf688-hub',
      oidcClientId: 'hub-roles',
      tlsCert: file,
      tlsKey: file,
      tlsClientCa: file,
      tlsClientCert: 'required',
      publicDocs: false,
    });
  });

  const file = __filename;
  it.each<[string, NodeJS.ProcessEnv, string, RegExp]>([
    ['a clients file that does not exist', { HUB_CLIENTS_FILE: '/nonexistent/clients.yaml' }, 'HUB_CLIENTS_FILE', /cannot be read \(ENOENT\)/],
    ['a directory as a certificate', { HUB_TLS_CERT: __dirname, HUB_TLS_KEY: file }, 'HUB_TLS_CERT', /must be a file/],
    ['an issuer that is not a URL', { HUB_OIDC_ISSUER: 'keycloak', HUB_OIDC_AUDIENCE: 'hub' }, 'HUB_OIDC_ISSUER', /absolute http\(s\) URL/],
    ['an issuer without an audience', { HUB_OIDC_ISSUER: 'https://idp.example.com' }, 'HUB_OIDC_AUDIENCE', /is required with HUB_OIDC_ISSUER/],
    ['an audience without an issuer', { HUB_OIDC_AUDIENCE: 'hub' }, 'HUB_OIDC_AUDIENCE', /has no effect without HUB_OIDC_ISSUER/],
    ['a client id without an issuer', { HUB_OIDC_CLIENT_ID: 'hub' }, 'HUB_OIDC_CLIENT_ID', /has no effect without HUB_OIDC_ISSUER/],
    ['a certificate without its key', { HUB_TLS_CERT: file }, 'HUB_TLS_CERT', /needs HUB_TLS_KEY/],
    ['a key without its certificate', { HUB_TLS_KEY: file }, 'HUB_TLS_KEY', /needs HUB_TLS_CERT/],
    ['client certificates without HTTPS', { HUB_TLS_CLIENT_CA: file }, 'HUB_TLS_CLIENT_CA', /needs HUB_TLS_CERT and HUB_TLS_KEY/],
    ['a client certificate mode without a CA', { HUB_TLS_CERT: file, HUB_TLS_KEY: file, HUB_TLS_CLIENT_CERT: 'required' }, 'HUB_TLS_CLIENT_CERT', /has no effect without HUB_TLS_CLIENT_CA/],
    ['a client certificate mode that is not one', { HUB_TLS_CLIENT_CERT: 'always' }, 'HUB_TLS_CLIENT_CERT', /must be one of optional, required/],
    ['HUB_PUBLIC_DOCS=maybe', { HUB_PUBLIC_DOCS: 'maybe' }, 'HUB_PUBLIC_DOCS', /true or false/],
  ])('should refuse %s, naming the variable', (_case, env, variable, problem) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(error.message).toMatch(problem);
  });

  it('should not echo an API key in its error', () => {
    expect(() => loadConfig({ HUB_API_KEYS: 'tooshortkey' })).toThrow(/^((?!tooshortkey).)*$/);
  });
});
