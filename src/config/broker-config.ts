/**
 * The configuration of the NATS, RabbitMQ and MQTT bridges (Kafka's is in Config beside the rest).
 * Each is on when its URL is set; credentials come from the URL or the *_USERNAME / *_PASSWORD
 * variables (which win), and are never logged or shown.
 */
export interface BrokerConfig {
  /** HUB_NATS_URL: one or more comma-separated nats:// (or tls://) server URLs. */
  natsUrl?: string;
  /** Prefix of the durable JetStream consumers of topic sources; hub processes with the same one share them. */
  natsConsumer: string;
  natsTls: boolean;
  natsTlsCaFile?: string;
  natsUsername?: string;
  /** Never logged, never shown. */
  natsPassword?: string;
  /** HUB_AMQP_URL: amqp:// or amqps://, with the virtual host as its path. */
  amqpUrl?: string;
  amqpTls: boolean;
  amqpTlsCaFile?: string;
  amqpUsername?: string;
  /** Never logged, never shown. */
  amqpPassword?: string;
  /** HUB_MQTT_URL: mqtt:// or mqtts:// (MQTT 5). */
  mqttUrl?: string;
  /** The client id of the topic sources' persistent session; its suffix -out names the publishing client. */
  mqttClientId: string;
  /** The shared subscription group ($share/<group>/<filter>) hub processes with different client ids read through. */
  mqttGroup: string;
  mqttTls: boolean;
  mqttTlsCaFile?: string;
  mqttUsername?: string;
  /** Never logged, never shown. */
  mqttPassword?: string;
}
