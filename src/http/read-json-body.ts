import type { Context } from 'koa';
import { TmfError, BadRequestError } from '../errors';
import { depthExceeds, MAX_DEPTH } from '../text/nesting-depth';

/**
 * Reads and parses a JSON request body, bounded by `maxBytes`. An empty body is `undefined`, left to
 * schema validation ("body is required"). A missing Content-Type is read as JSON; a type among
 * `textTypes` (those the operation also declares, e.g. application/yaml) comes back as the text itself,
 * for the handler to parse; any other non-JSON type is a 415.
 */
export async function readJsonBody(ctx: Context, maxBytes: number, textTypes: readonly string[] = []): Promise<unknown> {
  const type = ctx.request.type;
  const asText = Boolean(type) && textTypes.includes(type);
  if (type && !asText && type !== 'application/json' && !type.endsWith('+json')) {
    const expected = ['application/json', ...textTypes].join(' or ');
    throw new TmfError(415, 'UnsupportedMediaType', 'Unsupported media type', `Content-Type must be ${expected}, got ${type}`);
  }
  const declared = Number(ctx.get('Content-Length') || 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  if (asText) return text;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`The body is not valid JSON: ${(err as Error).message}`, 'Malformed JSON');
  }
  if (depthExceeds(body, MAX_DEPTH)) {
    throw new BadRequestError(`The body nests deeper than ${MAX_DEPTH} levels`, 'Body too deep');
  }
  return body;
}

function tooLarge(maxBytes: number): TmfError {
  return new TmfError(413, 'PayloadTooLarge', 'Payload too large', `The body exceeds the limit of ${maxBytes} bytes`);
}
