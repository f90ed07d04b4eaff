import type { Context } from 'koa';
import { TmfError, BadRequestError } from '../hub/errors';

/**
 * Reads and parses a JSON request body, bounded by `maxBytes`. An empty body is `undefined`, left to
 * schema validation ("body is required"). A missing Content-Type is read as JSON; any other non-JSON
 * type is a 415.
 */
export async function readJsonBody(ctx: Context, maxBytes: number): Promise<unknown> {
  const type = ctx.request.type;
  if (type && type !== 'application/json' && !type.endsWith('+json')) {
    throw new TmfError(415, 'UnsupportedMediaType', 'Unsupported media type', `Content-Type must be application/json, got ${type}`);
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
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`The body is not valid JSON: ${(err as Error).message}`, 'Malformed JSON');
  }
}

function tooLarge(maxBytes: number): TmfError {
  return new TmfError(413, 'PayloadTooLarge', 'Payload too large', `The body exceeds the limit of ${maxBytes} bytes`);
}
