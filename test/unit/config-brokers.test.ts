import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';
import { brokerConfigured, BROKERS, brokerKind } from '../../src/config/brokers';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: the NATS, RabbitMQ and MQTT bridges', () => {
  it.each<[Record<string, string>, string, unknown]>([
    [{}, 'natsUrl', undefined],
    [{ HUB_NATS_URL: 'nats://127.0.0.1:4222' }, 'natsUrl', 'nats://127.0.0.1:4222'],
    [{ HUB_NATS_URL: 'nats://a:4222, tls://u:p@b:4222' }, 'natsUrl', 'nats://a:4222,tls://u:p@b:4222'],
    [{ HUB_NATS_CONSUMER: 'hubs-eu' }, 'natsConsumer', 'hubs-eu'],
    [{ HUB_AMQP_URL: 'amqps://hub:pw@rabbit.example/vh' }, 'amqpUrl', 'amqps://hub:pw@rabbit.example/vh'],
    [{ HUB_AMQP_TLS: 'true' }, 'amqpTls', true],
    [{ HUB_MQTT_URL: 'mqtt://[::1]:1883' }, 'mqttUrl', 'mqtt://[::1]:1883'],
    [{ HUB_MQTT_CLIENT_ID: 'hub-a' }, 'mqttClientId', 'hub-a'],
    [{ HUB_MQTT_USERNAME: 'hub', HUB_MQTT_PASSWORD: 'pw' }, 'mqttPassword', 'pw'],
  ])('should read %j', (env, key, value) => {
    expect(loadConfig(env)[key as keyof ReturnType<typeof loadConfig>]).toEqual(value);
  });

  it.each([
    [{ HUB_NATS_URL: 'http://127.0.0.1:4222' }, 'HUB_NATS_URL', /must be comma-separated URLs that each start with nats:\/\/ or tls:\/\//],
    [{ HUB_NATS_URL: 'nats://ok:4222,localhost' }, 'HUB_NATS_URL', /nats:\/\//],
    [{ HUB_AMQP_URL: 'rabbit:5672' }, 'HUB_AMQP_URL', /must start with amqp:\/\/ or amqps:\/\//],
    [{ HUB_MQTT_URL: 'mqtt://' }, 'HUB_MQTT_URL', /mqtt:\/\/ or mqtts:\/\/ followed by a host/],
    [{ HUB_NATS_PASSWORD: 'pw' }, 'HUB_NATS_PASSWORD', /needs HUB_NATS_USERNAME/],
    [{ HUB_AMQP_PASSWORD: 'pw' }, 'HUB_AMQP_PASSWORD', /needs HUB_AMQP_USERNAME/],
    [{ HUB_MQTT_PASSWORD: 'pw' }, 'HUB_MQTT_PASSWORD', /needs HUB_MQTT_USERNAME/],
    [{ HUB_MQTT_URL: 'mqtt://broker', HUB_PROCESSES: '2', MONGODB_URL: 'mongodb://db' }, 'HUB_MQTT_URL', /HUB_PROCESSES above 1.*HUB_MQTT_CLIENT_ID/],
    [{ HUB_TLS_NOPE: 'x', HUB_MQTT_TLS: 'maybe' }, 'HUB_MQTT_TLS', /true or false/],
  ])('should refuse %j naming the variable', (env, variable, problem) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(problem);
  });

  it('should never echo a refused URL, which may carry a password', () => {
    expect(configError({ HUB_AMQP_URL: 'amqp:/hub:very-secret@' }).message).not.toContain('very-secret');
    expect(configError({ HUB_NATS_URL: 'http://u:very-secret@n' }).message).not.toContain('very-secret');
  });

  it('should show the passwords as *** and no default for the URLs', () => {
    const shown = Object.fromEntries(CONFIG_VARIABLES.map((v) => [v.name, v]));
    for (const name of ['HUB_NATS_PASSWORD', 'HUB_AMQP_PASSWORD', 'HUB_MQTT_PASSWORD']) expect(shown[name].parser.format('pw')).toBe('***');
    expect(shown.HUB_NATS_URL.shownDefault).toBe('(unset: no NATS)');
  });
});

describe('the brokers the hub knows', () => {
  it.each([
    ['kafka', { kafkaBrokers: ['b:9092'] }, true],
    ['kafka', { kafkaBrokers: [] }, false],
    ['nats', { natsUrl: 'nats://n:4222' }, true],
    ['nats', {}, false],
    ['amqp', { amqpUrl: 'amqp://r' }, true],
    ['mqtt', { mqttUrl: '' }, false],
  ])('should judge %s configured in %j: %s', (key, config, configured) => {
    expect(brokerConfigured(config, brokerKind(key)!)).toBe(configured);
  });

  it('should name each broker once, with a variable the configuration reads', () => {
    expect(BROKERS.map((b) => b.key)).toEqual(['kafka', 'nats', 'amqp', 'mqtt']);
    for (const broker of BROKERS) {
      expect(CONFIG_VARIABLES.find((v) => v.name === broker.variable)?.key).toBe(broker.configKey);
    }
  });
});
