import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type OpenAPIBackend from 'openapi-backend';
import { WebSocket, WebSocketServer } from 'ws';
import { cloudEventContext, structuredCloudEvent } from '../cloudevents/cloud-event';
import { NotFoundError, TmfError } from '../errors';
import type { EventStreamService, StreamedEvent } from '../hub/event-stream-service';
import { links } from '../hub/links';
import type { Logger } from '../logger';
import type { AccessGate } from './access-gate';
import { apiFrontDoor } from './api-front-door';
import { errorAnswer } from './error-middleware';
import { requestIdFrom } from './request-id';
import { streamRequestOf } from './stream-request';

/** Subprotocols the stream speaks: one JSON Event per text frame, or one structured CloudEvent per frame. */
export const TMF_PROTOCOL = 'tmf688.json';
export const CLOUDEVENTS_PROTOCOL = 'cloudevents.json';
/**
 * Browsers cannot set Authorization on a WebSocket: they may offer the credential (an API key or a
 * token) as a subprotocol, `bearer.<credential>` or `base64url.bearer.<credential in base64url>` (for
 * characters a protocol token cannot hold), beside tmf688.json or cloudevents.json, which is the one
 * selected. The Authorization header wins when both are sent.
 */
const CREDENTIAL_PROTOCOL = /^(base64url\.)?bearer\.(.+)$/i;

/** Close codes (RFC 6455 7.4.1): the hub going away, a failure, and "try again later" for a slow client. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_INTERNAL_ERROR = 1011;
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** A client sends nothing the stream needs; anything larger than this closes it (1009). */
const MAX_CLIENT_FRAME = 4096;
const MAX_REASON_BYTES = 123;
/** How long a shutdown waits for clients to answer the close frame. */
const CLOSE_WAIT_MS = 1000;

export interface WebSocketStreamDeps {
  api: OpenAPIBackend;
  streams: EventStreamService;
  config: { publicUrl?: string; streamBufferBytes: number };
  /** Who may open a stream: the front door's authentication and permission, and the refusals' audit. */
  access: AccessGate;
  logger: Logger;
}

export interface WebSocketStreams {
  /** Open streams. */
  readonly size: number;
  /** Unsent bytes queued at the hub for all open streams together (each is bounded by HUB_STREAM_BUFFER and one frame). */
  readonly bufferedBytes: number;
  /** Closes every stream (1001, with the resume hint) and stops answering upgrades. */
  close(): Promise<void>;
}

/**
 * The live event stream over WebSocket (ws 8, on the hub's own HTTP server): the upgrade of
 * `GET .../topic/{topicId}/event/stream`, with the same `query` filter and projection as SSE and
 * `lastEventId` to resume, on the HTTP or the HTTPS server alike. Everything that can be refused
 * (credential, permission, path, parameters, unknown topic, topic scope) is refused before the
 * upgrade, as an HTTP answer with a TMF Error body. A client whose unsent data at the hub passes
 * HUB_STREAM_BUFFER is closed with 1013 naming the lastEventId to resume from, so no client can
 * grow the hub's memory.
 */
export function attachWebSocketStreams(server: Server | HttpsServer, deps: WebSocketStreamDeps): WebSocketStreams {
  const noEndpoint = (path: string) => new NotFoundError(`No WebSocket endpoint at ${path}: the live stream is GET {api}/topic/{topicId}/event/stream`);
  // The API's own front door, serving the stream only: the same refusals as the GET over HTTP.
  const admit = apiFrontDoor(deps.api, { publicUrl: deps.config.publicUrl, operationIds: ['streamEvent'], notFound: noEndpoint, access: deps.access });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME, handleProtocols: selectProtocol });
  const sessions = new Set<Promise<void>>();
  /** Per open socket, the id of the last event sent to it: what a close tells the client to resume from. */
  const lastSentTo = new WeakMap<WebSocket, () => string | undefined>();
  /** Per upgrade request, its id: the 101 answer echoes it as every HTTP answer does. */
  const requestIds = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers: string[], req: IncomingMessage) => headers.push(`X-Request-Id: ${requestIds.get(req)}`));
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    requestIds.set(req, requestId);
    const log = deps.logger.child({ requestId });
    socket.on('error', () => socket.destroy());
    void (async () => {
      try {
        if (closing) throw new TmfError(503, 'ServiceUnavailable', 'Service unavailable', 'The hub is shutting down', { 'Retry-After': '5' });
        const stream = await prepare(req);
        wss.handleUpgrade(req, socket, head, (ws) => {
          log.info('websocket stream opened', { path: stream.path, protocol: ws.protocol || undefined });
          const session = run(ws, stream.tail, stream.format, log).finally(() => sessions.delete(session));
          sessions.add(session);
        });
      } catch (err) {
        const answer = errorAnswer(err, requestId, log);
        log.info('websocket upgrade refused', { path: requestTarget(req.url ?? '/').path, status: answer.status });
        refuse(socket, answer.status, { ...answer.headers, 'X-Request-Id': requestId }, JSON.stringify(answer.body));
      }
    })();
  };
  server.on('upgrade', onUpgrade);

  /** Checks the upgrade as the API checks the GET (the credential first), then opens the tail (which checks the topic, its scope and lastEventId). */
  async function prepare(req: IncomingMessage) {
    const offered = offeredProtocols(req);
    const { path, querystring } = requestTarget(req.url ?? '/');
    const call = await admit({
      method: req.method ?? 'GET',
      path,
      querystring,
      headers: req.headers,
      bearer: credentialFromProtocols(offered),
      // Not Koa's request, but the same reading of it: https when the socket is TLS, and the Host header.
      protocol: (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http',
      host: req.headers.host,
      socket: req.socket,
    });
    if (!call) throw noEndpoint(path);
    const stream = streamRequestOf(call.request);
    const tail = await deps.streams.open(stream).catch((err: unknown) => {
      deps.access.refused(err, call.request.principal.name, { operation: call.operationId, resource: path });
      throw err;
    });
    const source = links.topic(stream.baseUrl, stream.topicId);
    // A mode=patch stream's messages are the hub's own, not events: never a CloudEvent.
    const format = offered.includes(CLOUDEVENTS_PROTOCOL) && stream.mode !== 'patch' ? cloudEventFrame(source) : tmfFrame;
    return { path, tail, format };
  }

  /** One client: frames as the tail yields them, pings, and the close code that says why it ended. */
  async function run(ws: WebSocket, tail: (signal: AbortSignal) => AsyncGenerator<StreamedEvent>, format: (e: StreamedEvent) => string, log: Logger) {
    const abort = new AbortController();
    ws.on('close', () => abort.abort());
    ws.on('error', (err) => log.debug('websocket error', { err }));
    // A client that answers no ping for a whole heartbeat is slow or gone (unless it is being waited
    // for to drain: then the 1013 below says why it ends). Its ping may wait behind frames the kernel
    // still holds for it, so it is closed with 1013 and the event to resume after, which a slow client
    // reads after those frames; ws drops the socket of one that never completes the close (30 s).
    let alive = true;
    let draining = false;
    let lastSent: string | undefined;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!alive && !draining) return ws.close(CLOSE_TRY_AGAIN_LATER, reason(`no answer to a ping; resume${lastSent ? ` with lastEventId=${lastSent}` : ''}`));
      alive = false;
      ws.ping();
    }, deps.streams.heartbeatMs);
    lastSentTo.set(ws, () => lastSent);
    try {
      for await (const event of tail(abort.signal)) {
        if (ws.readyState !== WebSocket.OPEN) return;
        const written = new Promise<boolean>((resolve) => ws.send(format(event), (err) => resolve(!err)));
        lastSent = event.id ?? lastSent;
        // Past the limit the tail stops (it is a cursor over the store: waiting costs nothing) until
        // the socket takes what is queued; a client that takes none of it for a heartbeat is closed.
        if (ws.bufferedAmount > deps.config.streamBufferBytes) {
          draining = true;
          const drained = await within(written, deps.streams.heartbeatMs);
          draining = false;
          if (ws.readyState !== WebSocket.OPEN) return;
          if (!drained) {
            log.info('websocket stream closed: the client does not keep up', { bufferedBytes: ws.bufferedAmount, lastEventId: lastSent });
            ws.close(CLOSE_TRY_AGAIN_LATER, reason(`too slow; resume with lastEventId=${lastSent}`));
            return;
          }
        }
      }
      // The tail ends by itself only when its topic is gone.
      if (ws.readyState === WebSocket.OPEN) ws.close(CLOSE_NORMAL, 'the topic was deleted');
    } catch (err) {
      if (abort.signal.aborted) return;
      log.warn('websocket stream failed', { err });
      ws.close(CLOSE_INTERNAL_ERROR, reason(`stream failed; resume${lastSent ? ` with lastEventId=${lastSent}` : ''}`));
    } finally {
      clearInterval(heartbeat);
      abort.abort();
    }
  }

  return {
    get size() {
      return wss.clients.size;
    },
    get bufferedBytes() {
      let total = 0;
      for (const ws of wss.clients) total += ws.bufferedAmount;
      return total;
    },
    async close() {
      closing = true;
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) {
        const last = lastSentTo.get(ws)?.();
        ws.close(CLOSE_GOING_AWAY, reason(`the hub is shutting down${last ? `; resume with lastEventId=${last}` : ''}`));
      }
      // Clients get a moment to answer the close frame; those that do not are dropped.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(sessions), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
      for (const ws of wss.clients) ws.terminate();
      await Promise.all(sessions);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Whether `done` resolved true within `ms`. */
async function within(done: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([done, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Event; in mode=patch the message with its kind as `type` (SSE carries it as the event name). */
const tmfFrame = (event: StreamedEvent) => JSON.stringify(event.kind ? { type: event.kind, ...event.data } : event.data);

const cloudEventFrame = (source: string) => (event: StreamedEvent) =>
  structuredCloudEvent({ ...cloudEventContext(event.notification, source), id: event.id! }, JSON.stringify(event.data));

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

function credentialFromProtocols(offered: readonly string[]): string | undefined {
  for (const protocol of offered) {
    const found = CREDENTIAL_PROTOCOL.exec(protocol);
    if (found) return found[1] ? Buffer.from(found[2], 'base64url').toString('utf8') : found[2];
  }
  return undefined;
}

/** The data protocol the client offered; a credential protocol is never echoed back. */
function selectProtocol(protocols: Set<string>): string | false {
  if (protocols.has(CLOUDEVENTS_PROTOCOL)) return CLOUDEVENTS_PROTOCOL;
  if (protocols.has(TMF_PROTOCOL)) return TMF_PROTOCOL;
  return false;
}

/**
 * The path and query string of a request target, as Koa reads them: the origin form split at the
 * first `?`, the absolute form (`GET http://host/path`, which a server must accept) through URL.
 */
function requestTarget(target: string): { path: string; querystring: string } {
  if (!target.startsWith('/')) {
    const url = URL.parse(target);
    return url ? { path: url.pathname, querystring: url.search.slice(1) } : { path: target, querystring: '' };
  }
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, querystring: '' } : { path: target.slice(0, mark), querystring: target.slice(mark + 1) };
}

/** A refused upgrade is an ordinary HTTP answer with a TMF Error body, then the connection closes. */
function refuse(socket: Duplex, status: number, headers: Record<string, string>, body: string): void {
  if (!socket.writable) return void socket.destroy();
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${lines}\r\n${body}`,
  );
}

/** Close reasons are limited to 123 bytes. */
function reason(text: string): string {
  return Buffer.byteLength(text) <= MAX_REASON_BYTES ? text : Buffer.from(text).subarray(0, MAX_REASON_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}
