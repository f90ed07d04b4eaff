/** Kafka's own rule for topic names: ASCII letters, digits, `.`, `_` and `-`; 1 to 249 of them; not `.` or `..`. */
const LEGAL = /^[a-zA-Z0-9._-]{1,249}$/;

/** Why `name` cannot be a Kafka topic, or undefined when it can. Pure: no client is loaded for it. */
export function kafkaTopicRefusal(name: string): string | undefined {
  if (name === '') return 'the Kafka topic name is empty';
  if (name === '.' || name === '..') return `"${name}" cannot be a Kafka topic name`;
  if (name.length > 249) return `a Kafka topic name has at most 249 characters, not ${name.length}`;
  if (!LEGAL.test(name)) return `"${name}" is not a valid Kafka topic name (only ASCII letters, digits, ".", "_" and "-")`;
  return undefined;
}
