/** The formats a topic source's records may have; the names are fixed (the `source.format` attribute). */
export const SOURCE_FORMATS = ['tmf', 'cloudevents'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** A topic's `source` extension attribute: the Kafka topic its events are read from. */
export interface TopicSource {
  kafka: string;
  format: SourceFormat;
}

/**
 * The event-source port: what the topic service asks of whatever feeds topics from outside (the
 * Kafka bridge, src/kafka, wired by the composition root only when HUB_KAFKA_BROKERS is set).
 */
export interface EventSources {
  /** Why this Kafka topic cannot be read (its name), or undefined when it can. */
  topicRefusal(kafkaTopic: string): string | undefined;
  /** A topic with a source was created or deleted: consume what the topics now say. */
  changed(): void;
}

/** Reads a topic's `source` attribute as sent: the source, or why it is not one. Pure. */
export function readTopicSource(value: unknown, sources: EventSources | undefined): TopicSource | string {
  if (!sources) return 'Kafka is not configured on this hub (HUB_KAFKA_BROKERS): a topic cannot have a source';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'source must be an object: {"kafka": "<topic>", "format": "tmf" | "cloudevents"}';
  const { kafka, format = 'tmf' } = value as Record<string, unknown>;
  if (typeof kafka !== 'string') return 'source.kafka must be the name of a Kafka topic';
  const refused = sources.topicRefusal(kafka);
  if (refused) return `source.kafka: ${refused}`;
  if (!SOURCE_FORMATS.includes(format as SourceFormat)) return `source.format must be "tmf" or "cloudevents", not ${JSON.stringify(format)}`;
  return { kafka, format: format as SourceFormat };
}
