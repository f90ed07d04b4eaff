import { bindingHeaders } from '../bridge/binding-headers';

/** MQTT's limit on a topic name or filter: 65,535 bytes of UTF-8. */
const MAX_BYTES = 65_535;

function textRefusal(name: string, what: string): string | undefined {
  if (name === '') return `the MQTT ${what} is empty`;
  if (Buffer.byteLength(name) > MAX_BYTES) return `an MQTT ${what} has at most 65,535 bytes`;
  if (name.includes('\u0000')) return `an MQTT ${what} cannot hold the NUL character`;
  if (name.startsWith('$')) return `"${name}" starts with $, which MQTT reserves for the broker ($SYS, $share)`;
  return undefined;
}

/** Why `name` cannot be a topic the hub publishes to: no wildcards (`+`, `#`), not empty, not a $ topic. Pure. */
export function mqttTopicRefusal(name: string): string | undefined {
  const refused = textRefusal(name, 'topic');
  if (refused) return refused;
  if (/[+#]/.test(name)) return `"${name}" is not an MQTT topic to publish to: the wildcards + and # are for topic filters`;
  return undefined;
}

/** Why `filter` cannot be a topic filter the hub reads: `#` only as the whole last level, `+` only as a whole level. Pure. */
export function mqttFilterRefusal(filter: string): string | undefined {
  const refused = textRefusal(filter, 'topic filter');
  if (refused) return refused;
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return `"${filter}" is not an MQTT topic filter: # must be the whole last level`;
    if (level.includes('+') && level !== '+') return `"${filter}" is not an MQTT topic filter: + must be a whole level`;
  }
  return undefined;
}

/** Whether `topic` matches the topic filter `filter` (MQTT's rules: `+` one level, `#` the rest, even none). Pure. */
export function mqttTopicMatches(filter: string, topic: string): boolean {
  const wanted = filter.split('/');
  const levels = topic.split('/');
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i] === '#') return true;
    if (i >= levels.length) return false;
    if (wanted[i] !== '+' && wanted[i] !== levels[i]) return false;
  }
  return wanted.length === levels.length;
}

/** Where a record read from `topic` is dead-lettered; a topic that already is one is never read. */
export const deadLetterTopic = (topic: string): string => `${topic}/dlq`;
export const isDeadLetterTopic = (topic: string): boolean => topic.endsWith('/dlq');

/**
 * The MQTT 5 user properties of an attempt: the CloudEvents attributes by their own names (id,
 * type, source, specversion, time: the MQTT binding of CloudEvents), webhook-* and traceparent.
 * content-type travels in the PUBLISH packet's Content Type property instead (the producer moves it). Pure.
 */
export function mqttRecordHeaders(httpHeaders: Record<string, string>): Record<string, string> {
  return bindingHeaders(httpHeaders, '');
}
