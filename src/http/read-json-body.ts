import type { IncomingMessage } from 'node:http';
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
  const text = (await bodyBytes(ctx.req, maxBytes)).toString('utf8');
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

/**
 * The body's bytes, read with the stream's events: an async iterator over the request (what this
 * did before) costs a promise per chunk and the end-of-stream watching that comes with it, most of
 * what reading a small body cost. Fails as that iterator did: with the stream's error, with a
 * premature close, and past `maxBytes` with the 413, the request destroyed.
 */
function bodyBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (req.destroyed) return Promise.reject(prematureClose());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (err?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      settle(tooLarge(maxBytes));
      req.destroy();
    };
    const onEnd = () => settle();
    const onClose = () => settle(prematureClose());
    req.on('data', onData).on('end', onEnd).on('error', settle).on('close', onClose);
  });
}

/** The error a stream's async iterator gives when the stream closes before its end (the client went away). */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

function tooLarge(maxBytes: number): TmfError {
  return new TmfError(413, 'PayloadTooLarge', 'Payload too large', `The body exceeds the limit of ${maxBytes} bytes`);
}
