// A Server-Sent Events client on fetch() and a ReadableStream. EventSource cannot send an
// Authorization header, and the hub wants one when HUB_API_KEYS is set; this client sends it,
// tracks the last event id and reconnects after a drop with Last-Event-ID, as EventSource would.

/**
 * The event-stream parser of the HTML standard (section "Server-sent events"): lines end with
 * CRLF, LF or CR; a blank line dispatches; `:` starts a comment; one space after the colon is
 * dropped; `id` persists across events and an id containing NUL is ignored.
 */
export class SseParser {
  /** onMessage({ type, data, id }); onRetry(ms) when the server sends `retry:`. */
  constructor(onMessage, onRetry = () => undefined) {
    this.onMessage = onMessage;
    this.onRetry = onRetry;
    this.buffer = '';
    this.data = [];
    this.type = '';
    this.lastEventId = '';
    this.started = false;
    this.pendingCR = false;
  }

  /** Feeds decoded text; any chunking is fine. */
  feed(text) {
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR that ended the previous chunk may be the first half of a CRLF.
    if (this.pendingCR && text.startsWith('\n')) text = text.slice(1);
    this.pendingCR = false;
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr < 0 && lf < 0) break;
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      this.line(this.buffer.slice(start, end));
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) {
          this.pendingCR = true;
          start = end + 1;
          break;
        }
        start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
    return undefined;
  }

  dispatch() {
    const data = this.data;
    const type = this.type || 'message';
    this.data = [];
    this.type = '';
    if (data.length === 0) return;
    this.onMessage({ type, data: data.join('\n'), id: this.lastEventId });
  }

  /** A new connection starts clean, except for the last event id. */
  reset() {
    this.buffer = '';
    this.data = [];
    this.type = '';
    this.started = false;
    this.pendingCR = false;
  }
}

const MAX_DELAY_MS = 15_000;

/**
 * Opens `url()` as an event stream and keeps it open until close().
 * - headers(): extra request headers for each connection (the Authorization header).
 * - onMessage({ type, data, id }) for every event.
 * - onState(state, detail): 'connecting' | 'open' | 'reconnecting' | 'closed'.
 * - onFatal(error): the stream cannot continue (401, 404, not an event stream); no more retries.
 * `idleMs`: no bytes (not even a heartbeat comment) for this long counts as a drop.
 */
export function openEventStream({ url, headers = () => ({}), onMessage, onState = () => undefined, onFatal, errorFrom, idleMs = 60_000, lastEventId = '' }) {
  let closed = false;
  let controller;
  let wake;
  let retryMs = 1000;
  let failures = 0;
  let opened = false;
  const parser = new SseParser(onMessage, (ms) => (retryMs = ms));
  parser.lastEventId = lastEventId;

  const pause = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function connectOnce() {
    controller = new AbortController();
    const requestHeaders = { Accept: 'text/event-stream', ...headers() };
    if (parser.lastEventId) requestHeaders['Last-Event-ID'] = parser.lastEventId;
    const res = await fetch(url(), { headers: requestHeaders, cache: 'no-store', signal: controller.signal });
    if (!res.ok) {
      let text = '';
      try {
        text = await res.text();
      } catch {
        // The status is enough.
      }
      let data;
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
      const error = errorFrom(res.status, data, text);
      // Client errors will not fix themselves by retrying; 5xx and 429 may.
      error.fatal = res.status < 500 && res.status !== 429;
      throw error;
    }
    const type = res.headers.get('Content-Type') || '';
    if (!type.includes('text/event-stream') || !res.body) {
      const error = new Error(`The stream answered ${type || 'no content type'} instead of text/event-stream`);
      error.fatal = true;
      throw error;
    }
    failures = 0;
    opened = true;
    onState('open');
    parser.reset();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let idle;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), idleMs);
    };
    arm();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(idle);
    }
  }

  async function run() {
    while (!closed) {
      onState(failures === 0 ? 'connecting' : 'reconnecting');
      opened = false;
      try {
        await connectOnce();
      } catch (err) {
        if (closed) return;
        if (err && err.fatal) {
          closed = true;
          onState('closed', err.message);
          onFatal(err);
          return;
        }
        // A stream that was open and then dropped is resumed like one that ended; only failed
        // connection attempts back off.
        if (!opened) failures += 1;
      }
      if (closed) return;
      // Resumed after the server's `retry` delay; consecutive failures back off up to 15 s.
      const delay = Math.min(MAX_DELAY_MS, retryMs * 2 ** Math.min(failures, 4));
      onState('reconnecting', `in ${Math.round(delay / 1000)} s${parser.lastEventId ? `, resuming after event ${parser.lastEventId}` : ''}`);
      await pause(delay);
    }
  }

  // run() catches everything itself; the catch is a last resort so nothing is ever unhandled.
  run().catch((err) => onFatal(err));

  return {
    get lastEventId() {
      return parser.lastEventId;
    },
    close() {
      if (closed) return;
      closed = true;
      controller?.abort();
      wake?.();
      onState('closed');
    },
  };
}
