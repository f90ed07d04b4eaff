import { consumerNameFor, natsRecordHeaders, natsSubjectRefusal, streamNameFor } from '../../src/nats/nats-names';
import { describeNatsOptions, natsClientOptions } from '../../src/nats/nats-options';

describe('natsSubjectRefusal (literal subjects)', () => {
  it.each([['orders'], ['network.alarms.eu'], ['a-b_c.D9'], ['x'.repeat(255)]])('should accept %s', (name) => {
    expect(natsSubjectRefusal(name)).toBeUndefined();
  });
  it.each([
    ['', /empty/],
    ['x'.repeat(256), /at most 255 characters, not 256/],
    ['orders.*', /wildcards/],
    ['orders.>', /wildcards/],
    ['a..b', /not a NATS subject/],
    ['.a', /not a NATS subject/],
    ['a.', /not a NATS subject/],
    ['has space', /not a NATS subject/],
    ['tab\there', /not a NATS subject/],
  ])('should refuse %j', (name, reason) => {
    expect(natsSubjectRefusal(name)).toMatch(reason);
  });
});

describe('names the hub gives JetStream', () => {
  it.each([
    ['orders', /^TMF688_orders_[0-9a-f]{8}$/],
    ['network.alarms', /^TMF688_network_alarms_[0-9a-f]{8}$/],
  ])('should name the stream of %s', (subject, shape) => {
    expect(streamNameFor(subject)).toMatch(shape);
  });

  it('should tell apart subjects that read alike once made safe', () => {
    expect(streamNameFor('a.b')).not.toBe(streamNameFor('a_b'));
  });

  it.each([
    ['tmf688-hub', '6d1c0a4e-0000-4000-8000-000000000001', 'tmf688-hub-6d1c0a4e-0000-4000-8000-000000000001'],
    ['hubs.eu', 'T 1', 'hubs_eu-T_1'],
  ])('should name the durable consumer of prefix %s and topic %s', (prefix, topicId, name) => {
    expect(consumerNameFor(prefix, topicId)).toBe(name);
  });
});

describe('the headers of a nats: delivery', () => {
  it('should keep the webhook, trace and ce- headers as they are (the NATS binding of CloudEvents) and drop what only HTTP means', () => {
    expect(natsRecordHeaders({ 'user-agent': 'tmf688-hub', 'webhook-id': 'd-1', 'ce-id': 'd-1', 'ce-type': 'T', traceparent: '00-a-b-01', 'content-type': 'application/json' })).toEqual({
      'webhook-id': 'd-1',
      'ce-id': 'd-1',
      'ce-type': 'T',
      traceparent: '00-a-b-01',
      'content-type': 'application/json',
    });
  });
});

describe('NATS client options from the configuration', () => {
  const base = { natsTls: false };
  it.each<[string, Record<string, unknown>, unknown]>([
    ['one server', { natsUrl: 'nats://n1:4222' }, { servers: ['nats://n1:4222'] }],
    ['credentials in the URL', { natsUrl: 'nats://hub:p%40ss@n1:4222,nats://n2:4222' }, { servers: ['nats://n1:4222', 'nats://n2:4222'], user: 'hub', pass: 'p@ss' }],
    ['a token in the URL', { natsUrl: 'nats://s3cr3t@n1:4222' }, { servers: ['nats://n1:4222'], token: 's3cr3t' }],
    ['variables over the URL', { natsUrl: 'nats://a:b@n1:4222', natsUsername: 'hub', natsPassword: 'pw' }, { servers: ['nats://n1:4222'], user: 'hub', pass: 'pw' }],
    ['TLS with a CA', { natsUrl: 'nats://n1:4222', natsTls: true, natsTlsCaFile: '/ca.pem' }, { servers: ['nats://n1:4222'], tls: { caFile: '/ca.pem' } }],
    ['TLS by the URL', { natsUrl: 'tls://n1:4222' }, { servers: ['tls://n1:4222'], tls: {} }],
  ])('should build %s', (_case, config, expected) => {
    expect(natsClientOptions({ ...base, ...config })).toEqual(expected);
  });

  it('should never describe the password or token', () => {
    const described = JSON.stringify([
      describeNatsOptions(natsClientOptions({ ...base, natsUrl: 'nats://hub:very-secret@n1:4222' })),
      describeNatsOptions(natsClientOptions({ ...base, natsUrl: 'nats://token-secret@n1:4222' })),
    ]);
    expect(described).not.toMatch(/very-secret|token-secret/);
    expect(described).toContain('"user":"hub"');
  });
});
