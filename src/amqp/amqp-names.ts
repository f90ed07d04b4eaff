import { bindingHeaders } from '../bridge/binding-headers';

/** Where an `amqp:` callback publishes: an exchange (`''`: the default exchange) and a routing key (there: the queue). */
export interface AmqpDestination {
  exchange: string;
  routingKey: string;
}

/** Exchange names RabbitMQ accepts: letters, digits, `-`, `_`, `.` and `:`. */
const EXCHANGE = /^[A-Za-z0-9_.:-]*$/;
const MAX_SHORTSTR = 255;

/** Why `name` cannot be a queue the hub reads (or declares): empty, longer than 255 bytes, or a reserved amq. name. Pure. */
export function amqpQueueRefusal(name: string): string | undefined {
  if (name === '') return 'the RabbitMQ queue name is empty';
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_SHORTSTR) return `a RabbitMQ queue name has at most 255 bytes, not ${bytes}`;
  if (name.startsWith('amq.')) return `"${name}" is a RabbitMQ queue name reserved for the broker (amq.)`;
  return undefined;
}

/**
 * An `amqp:` callback's destination (the part after the scheme): `<exchange>/<routingKey>`, or
 * `/<queue>` for the default exchange, which routes to the queue of that name. Pure.
 */
export function amqpDestination(name: string): AmqpDestination | string {
  const slash = name.indexOf('/');
  if (slash < 0) return `"${name}" is not a RabbitMQ destination: amqp:<exchange>/<routingKey>, or amqp:/<queue> for the default exchange`;
  const exchange = name.slice(0, slash);
  const routingKey = name.slice(slash + 1);
  if (exchange.length > MAX_SHORTSTR || !EXCHANGE.test(exchange)) {
    return `"${exchange}" is not a RabbitMQ exchange name (letters, digits, "-", "_", "." and ":", at most 255)`;
  }
  if (exchange === '') {
    const refused = amqpQueueRefusal(routingKey);
    return refused ? `amqp:/<queue>: ${refused}` : { exchange, routingKey };
  }
  if (Buffer.byteLength(routingKey) > MAX_SHORTSTR) return 'a RabbitMQ routing key has at most 255 bytes';
  return { exchange, routingKey };
}

/** Why a callback destination is refused, or undefined. Pure. */
export function amqpDestinationRefusal(name: string): string | undefined {
  const destination = amqpDestination(name);
  return typeof destination === 'string' ? destination : undefined;
}

/**
 * The headers of an attempt as the AMQP message carries them: the CloudEvents attributes with the
 * AMQP binding's `cloudEvents_` prefix (cloudEvents_id, cloudEvents_type, ...). The producer moves
 * content-type and webhook-id into the message's content_type and message_id properties. Pure.
 */
export function amqpRecordHeaders(httpHeaders: Record<string, string>): Record<string, string> {
  return bindingHeaders(httpHeaders, 'cloudEvents_');
}

/**
 * What RabbitMQ's refusal of a queue declaration says the queue has that the declaration lacked
 * (`PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-exchange' ... current is the value 'dlx'
 * of type 'longstr'`): the argument and its value, typed; or the durable / auto_delete flag. AMQP
 * 0-9-1 has no way to read a queue's arguments, so the hub learns them one refusal at a time. Pure.
 */
export function inequivalentArgument(message: string): { name: string; value: string | number | boolean } | undefined {
  const flag = /inequivalent arg '(durable|auto_delete)' .*current is '(true|false)'/.exec(message);
  if (flag) return { name: flag[1], value: flag[2] === 'true' };
  const arg = /inequivalent arg '([^']+)' .*current is the value '([^']*)' of type '([^']+)'/.exec(message);
  if (!arg) return undefined;
  const [, name, value, type] = arg;
  if (type === 'longstr' || type === 'shortstr') return { name, value };
  if (type === 'bool') return { name, value: value === 'true' };
  return { name, value: Number(value) };
}
