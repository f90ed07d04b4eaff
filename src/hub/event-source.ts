import { BROKERS, brokerKind } from '../config/brokers';
import type { ListenerAuth } from '../credentials/listener-credentials';
import { POLL_KEY, POLL_SHAPE, readPollSource, type PollSource } from '../poll/poll-source';

/** The formats a topic source's records may have; the names are fixed (the `source.format` attribute). */
export const SOURCE_FORMATS = ['tmf', 'cloudevents'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/**
 * A topic's `source` extension attribute as stored: the broker's key naming what is read, and the
 * format, e.g. `{"kafka": "network.alarms", "format": "tmf"}`.
 */
export type TopicSource = Readonly<Record<string, string>> & { readonly format: SourceFormat };

/**
 * One broker's side of the event-source port: what the topic service asks of a bridge that feeds
 * topics from outside (the bridges of src/kafka, src/nats, src/amqp, src/mqtt, wired by the composition
 * root only when configured).
 */
export interface EventSource {
  /** Why this destination cannot be read (its name), or undefined when it can. */
  topicRefusal(name: string): string | undefined;
  /** A topic with a source of this broker was created or deleted: consume what the topics now say. */
  changed(): void;
}

/** The configured bridges' sources, by broker key (`kafka`, `nats`, `amqp`, `mqtt`), and the poll sources (`poll`, issue 28). */
export type EventSources = ReadonlyMap<string, EventSource>;

/** "a", "b" or "c". */
const quotedList = (words: readonly string[]): string => {
  const quoted = words.map((word) => `"${word}"`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
};
const SHAPE = `{${BROKERS.map((b) => `"${b.key}"`).join(' | ')}: "<name>", "format": "tmf" | "cloudevents"}`;

/** The broker a stored source reads from (`poll` for a poll source), or undefined for a topic without a source. Pure. */
export function sourceBroker(source: unknown): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  return Object.keys(source).find((key) => key === POLL_KEY || brokerKind(key) !== undefined);
}

/**
 * Reads a topic's `source` attribute as sent, a broker's or a poll source (`{"poll": "<url>", ...}`):
 * the source to store and, for a poll source, the credentials kept apart from it; or why it is
 * refused. Pure.
 */
export function readAnySource(value: unknown, sources: EventSources): { source: TopicSource | PollSource; auth?: ListenerAuth } | string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && POLL_KEY in value) return readPollSource(value as Record<string, unknown>);
  const source = readTopicSource(value, sources);
  return typeof source === 'string' ? source : { source };
}

/** Reads a topic's `source` attribute as sent: the source to store, or why it is not one. Pure. */
export function readTopicSource(value: unknown, sources: EventSources): TopicSource | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `source must be an object: ${SHAPE}`;
  const { format = 'tmf', ...named } = value as Record<string, unknown>;
  const keys = Object.keys(named);
  const key = keys.find((k) => brokerKind(k) !== undefined);
  if (key === undefined) return `source must name the broker it reads from, as ${quotedList(BROKERS.map((b) => b.key))}: ${SHAPE}; or poll an HTTP API: ${POLL_SHAPE}`;
  const broker = brokerKind(key)!;
  const source = sources.get(key);
  if (!source) return `${broker.name} is not configured on this hub (${broker.variable}): a topic cannot have a source from ${broker.name}`;
  const extra = keys.filter((k) => k !== key);
  if (extra.length) return `source names one broker and a format; ${extra.map((k) => JSON.stringify(k)).join(', ')} is not a source attribute`;
  const name = named[key];
  if (typeof name !== 'string') return `source.${key} must be the name of a ${broker.name} ${broker.destination}`;
  const refused = source.topicRefusal(name);
  if (refused) return `source.${key}: ${refused}`;
  if (!SOURCE_FORMATS.includes(format as SourceFormat)) return `source.format must be "tmf" or "cloudevents", not ${JSON.stringify(format)}`;
  return { [key]: name, format: format as SourceFormat } as TopicSource;
}
