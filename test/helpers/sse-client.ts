import http from 'node:http';
import https from 'node:https';
import type { ClientTls } from './http-call';
import { pollUntil } from './poll';

export interface SseMessage {
  id?: string;
  /** The `event:` name, when the message has one (mode=patch streams: snapshot, patch). */
  event?: string;
  data: string;
  json: any;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Messages in arrival order (comments not included). */
  messages: SseMessage[];
  comments: string[];
  /** The raw body of a non-200 answer. */
  body: string;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  waitForMessages(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

/** A minimal Server-Sent Events client over node:http (node:https for an https URL, with `tls`): parses id, data and comment lines. */
export function openSse(url: string, headers: Record<string, string> = {}, tls?: ClientTls): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { headers: { Accept: 'text/event-stream', ...headers }, ...tls, agent: false }, (res) => {
      let endResolve!: () => void;
      const conn: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages: [],
        comments: [],
        body: '',
        ended: new Promise<void>((r) => (endResolve = r)),
        waitForMessages: (count, timeoutMs = 5000) =>
          pollUntil(async () => (conn.messages.length >= count ? conn.messages.slice(0, count) : undefined), timeoutMs, `${count} SSE messages`, 10),
        close: () => req.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (conn.status !== 200) {
          conn.body += chunk;
          return;
        }
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          let event: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) conn.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) conn.messages.push({ id, ...(event ? { event } : {}), data: data.join('\n'), json: JSON.parse(data.join('\n')) });
        }
      });
      res.on('end', endResolve);
      res.on('close', endResolve);
      resolve(conn);
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}
