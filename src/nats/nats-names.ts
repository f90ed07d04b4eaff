import { createHash } from 'node:crypto';
import { bindingHeaders } from '../bridge/binding-headers';

/** What a NATS subject token may not hold: whitespace and the wildcards. */
const ILLEGAL = /[\s*>]/;

/**
 * Why `name` cannot be a subject the hub publishes to or reads: literal subjects only (no `*` or
 * `>` wildcards: a source's `<subject>.dlq` must not be read back by its own consumer), dot-separated
 * non-empty tokens without whitespace, at most 255 characters. Pure: no client is loaded for it.
 */
export function natsSubjectRefusal(name: string): string | undefined {
  if (name === '') return 'the NATS subject is empty';
  if (name.length > 255) return `a NATS subject has at most 255 characters, not ${name.length}`;
  if (name.split('.').some((token) => token === '' || ILLEGAL.test(token))) {
    return `"${name}" is not a NATS subject the hub can use (dot-separated tokens without spaces or the wildcards * and >)`;
  }
  return undefined;
}

/** A name JetStream accepts for a stream or consumer: no `.`, `*`, `>`, path separators or whitespace. */
const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_');
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * The stream the hub creates for a subject no stream captures yet: named after it (with a digest,
 * so that `a.b` and `a_b` differ), so that an operator recognises it. Pure.
 */
export function streamNameFor(subject: string): string {
  return `TMF688_${safe(subject).slice(0, 200)}_${digest(subject)}`;
}

/** The durable consumer of one topic source: processes with the same prefix (HUB_NATS_CONSUMER) share it. Pure. */
export function consumerNameFor(prefix: string, topicId: string): string {
  return `${safe(prefix)}-${safe(topicId)}`.slice(0, 200);
}

/**
 * The message headers of an attempt: the CloudEvents attributes keep the `ce-` prefix (the NATS
 * binding of CloudEvents uses the HTTP binding's). The delivery id also goes in Nats-Msg-Id, set by
 * the producer. Pure.
 */
export function natsRecordHeaders(httpHeaders: Record<string, string>): Record<string, string> {
  return bindingHeaders(httpHeaders, 'ce-');
}
