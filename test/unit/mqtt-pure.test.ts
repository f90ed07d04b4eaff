import { deadLetterTopic, isDeadLetterTopic, mqttFilterRefusal, mqttRecordHeaders, mqttTopicMatches, mqttTopicRefusal } from '../../src/mqtt/mqtt-names';
import { describeMqttOptions, mqttClientOptions } from '../../src/mqtt/mqtt-options';

describe('MQTT topics and filters', () => {
  it.each<[string, RegExp | undefined]>([
    ['network/alarms', undefined],
    ['a', undefined],
    ['', /empty/],
    ['a/+', /wildcards/],
    ['a/#', /wildcards/],
    ['$SYS/broker', /reserves/],
    ['a\u0000b', /NUL/],
  ])('should judge the topic %j to publish to', (name, refusal) => {
    if (refusal) expect(mqttTopicRefusal(name)).toMatch(refusal);
    else expect(mqttTopicRefusal(name)).toBeUndefined();
  });

  it.each<[string, RegExp | undefined]>([
    ['network/+/alarms', undefined],
    ['network/#', undefined],
    ['#', undefined],
    ['+', undefined],
    ['a/#/b', /# must be the whole last level/],
    ['a#', /# must be the whole last level/],
    ['a+/b', /\+ must be a whole level/],
    ['$share/g/a', /reserves/],
    ['', /empty/],
  ])('should judge the topic filter %j', (filter, refusal) => {
    if (refusal) expect(mqttFilterRefusal(filter)).toMatch(refusal);
    else expect(mqttFilterRefusal(filter)).toBeUndefined();
  });

  it.each<[string, string, boolean]>([
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+/c', 'a/b/c', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'anything/at/all', true],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
  ])('should match the filter %s against %s: %s', (filter, topic, matches) => {
    expect(mqttTopicMatches(filter, topic)).toBe(matches);
  });

  it('should name and recognise dead-letter topics', () => {
    expect(deadLetterTopic('alarms/eu')).toBe('alarms/eu/dlq');
    expect(isDeadLetterTopic('alarms/eu/dlq')).toBe(true);
    expect(isDeadLetterTopic('alarms/dlq-eu')).toBe(false);
  });

  it('should carry the CloudEvents attributes by their own names (the MQTT binding)', () => {
    expect(mqttRecordHeaders({ 'user-agent': 'x', 'ce-id': 'd-1', 'ce-specversion': '1.0', 'webhook-id': 'd-1' })).toEqual({ id: 'd-1', specversion: '1.0', 'webhook-id': 'd-1' });
  });
});

describe('MQTT client options from the configuration', () => {
  const noFile = () => {
    throw new Error('no file should be read');
  };
  it.each<[string, Record<string, unknown>, unknown]>([
    ['a plain URL', { mqttUrl: 'mqtt://broker:1883', mqttTls: false }, { url: 'mqtt://broker:1883' }],
    ['credentials in the URL', { mqttUrl: 'mqtt://hub:p%40ss@broker:1883', mqttTls: false }, { url: 'mqtt://broker:1883', username: 'hub', password: 'p@ss' }],
    ['the variables over the URL', { mqttUrl: 'mqtt://a:b@broker', mqttTls: false, mqttUsername: 'hub', mqttPassword: 'pw' }, { url: 'mqtt://broker', username: 'hub', password: 'pw' }],
    ['TLS asked for', { mqttUrl: 'mqtt://broker', mqttTls: true }, { url: 'mqtts://broker' }],
  ])('should build %s', (_case, config, expected) => {
    expect(mqttClientOptions(config as never, noFile)).toEqual(expected);
  });

  it('should read the CA file, and never describe the password', () => {
    const options = mqttClientOptions({ mqttUrl: 'mqtts://hub:very-secret@broker', mqttTls: false, mqttTlsCaFile: '/ca.pem' }, (path) => `PEM of ${path}`);
    expect(options.ca).toBe('PEM of /ca.pem');
    expect(JSON.stringify(describeMqttOptions(options))).not.toContain('very-secret');
    expect(describeMqttOptions(options)).toEqual({ url: 'mqtts://broker', tls: true, username: 'hub' });
  });
});
