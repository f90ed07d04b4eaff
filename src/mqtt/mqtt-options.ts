import type { BrokerConfig } from '../config/broker-config';
import { redactUrl } from '../bridge/redact';

/** What the hub connects to the MQTT broker with (a subset of mqtt's IClientOptions, typed here so this stays pure). */
export interface MqttClientOptions {
  /** The broker URL without credentials (mqtts:// when TLS is asked for). */
  url: string;
  username?: string;
  password?: string;
  /** The certificate authorities to trust (HUB_MQTT_TLS_CA). */
  ca?: string;
}

type MqttConfig = Pick<BrokerConfig, 'mqttUrl' | 'mqttTls' | 'mqttTlsCaFile' | 'mqttUsername' | 'mqttPassword'>;

/** The options of a configuration with HUB_MQTT_URL set: credentials from the variables, else the URL. `readFile` reads the CA file. */
export function mqttClientOptions(config: MqttConfig, readFile: (path: string) => string): MqttClientOptions {
  const url = new URL(config.mqttUrl ?? '');
  const options: MqttClientOptions = { url: `${config.mqttTls && url.protocol === 'mqtt:' ? 'mqtts:' : url.protocol}//${url.host}` };
  if (config.mqttUsername) {
    options.username = config.mqttUsername;
    options.password = config.mqttPassword;
  } else if (url.username) {
    options.username = decodeURIComponent(url.username);
    if (url.password) options.password = decodeURIComponent(url.password);
  }
  if (config.mqttTlsCaFile) options.ca = readFile(config.mqttTlsCaFile);
  return options;
}

/** What may be logged of the options: never the password. */
export function describeMqttOptions(options: MqttClientOptions): Record<string, unknown> {
  return { url: redactUrl(options.url), tls: options.url.startsWith('mqtts:'), ...(options.username ? { username: options.username } : {}) };
}
