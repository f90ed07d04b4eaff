import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { StreamedEvent } from '../hub/event-stream-service';
import type { HttpResult } from './api-request';

/** How long an EventSource waits before reconnecting after the stream ends. */
const RECONNECT_MS = 2000;

/**
 * A Server-Sent Events answer over a tail of events: one message per event (`id` and a one-line JSON
 * `data`; in mode=patch an `event:` name, `snapshot` or `patch`, and no `id` on a snapshot), a comment every heartbeatMs so proxies keep the connection open. When the client goes
 * away the response stream closes, which aborts the tail. When the tail fails (the store is down)
 * the stream ends with a comment saying why; EventSource reconnects with Last-Event-ID by itself.
 */
export function sseResponse(tail: (signal: AbortSignal) => AsyncGenerator<StreamedEvent>, heartbeatMs: number): HttpResult {
  const out = new PassThrough();
  const abort = new AbortController();
  out.once('close', () => abort.abort());
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), heartbeatMs);
  // The first bytes flush the headers, so a client knows at once that the stream is open.
  out.write(`retry: ${RECONNECT_MS}\n: stream open\n\n`);
  void (async () => {
    try {
      for await (const event of tail(abort.signal)) {
        if (!out.write(`${event.kind ? `event: ${event.kind}\n` : ''}${event.id !== undefined ? `id: ${event.id}\n` : ''}data: ${JSON.stringify(event.data)}\n\n`)) {
          await once(out, 'drain', { signal: abort.signal });
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) out.write(`: stream ended: ${oneLine(err)}\n\n`);
    } finally {
      clearInterval(heartbeat);
      out.end();
    }
  })();
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // nginx buffers proxied answers unless told not to.
      'X-Accel-Buffering': 'no',
    },
    body: out,
  };
}

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/[\r\n]+/g, ' ');
