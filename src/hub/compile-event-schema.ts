import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { BadRequestError } from '../errors';
import type { JsonSchema } from './resolve-tmf-events';

/** Why an event does not conform: the first failing JSON path, the rule (JSON Schema keyword) and a sentence. */
export interface SchemaViolation {
  /** JSONPath of the offending value in the event, e.g. `$.event.alarm.perceivedSeverity`. */
  path: string;
  /** The JSON Schema keyword that failed: type, required, enum, format, ... */
  rule: string;
  /** e.g. `$.event.alarm.id must be integer (type)`. */
  message: string;
}

export type EventCheck = (event: unknown) => SchemaViolation | undefined;

/** TM Forum files use format "base64" (not a JSON Schema format): checked as RFC 4648 base64 text. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Compiles a registered schema into a check, once per schema version (the registry caches the
 * result). A fresh ajv instance per version: a schema's own `$id` can never collide with another
 * version's, and a superseded version's compiled code goes with its instance.
 *
 * `strict: false` on purpose: JSON Schema lets a schema carry keywords it does not define (vendor
 * annotations such as `x-*`), and a registry must accept what its producers write. The cost is that
 * a format ajv does not know is not checked (as JSON Schema allows for formats); the imported TM Forum
 * schemas use only known ones (plus "base64", added here). `allErrors: false`: the first failure is
 * all the answer names, and stopping there keeps validation cheap.
 * Throws BadRequestError when the schema is not a valid JSON Schema or refers outside itself.
 */
export function compileEventSchema(schema: JsonSchema): EventCheck {
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false, validateSchema: true });
  addFormats(ajv);
  ajv.addFormat('base64', BASE64);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new BadRequestError(`The schema cannot be compiled: ${(err as Error).message}`, 'Invalid schema');
  }
  return (event) => (validate(event) ? undefined : describe(validate.errors?.[0]));
}

function describe(error: ErrorObject | undefined): SchemaViolation {
  if (!error) return { path: '$', rule: 'schema', message: '$ does not conform' };
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    segments.push(String(params.missingProperty));
    detail = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    segments.push(String(params.additionalProperty));
    detail = 'is not allowed (additionalProperties)';
  } else if (error.keyword === 'enum') {
    detail = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const path = jsonPath(segments);
  return { path, rule: error.keyword, message: `${path} ${detail} (${error.keyword})` };
}

/** `$.a.b[2]`: brackets for indexes, `[*]` for any item of an array, and for names that are not identifiers. */
export function jsonPath(segments: readonly string[]): string {
  return (
    '$' +
    segments
      .map((s) => (/^\d+$/.test(s) || s === '*' ? `[${s}]` : /^[A-Za-z_@$][\w@$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
      .join('')
  );
}
