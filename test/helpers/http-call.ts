import http from 'node:http';
import https from 'node:https';

/** What a test client presents over TLS: the CA it trusts, and its certificate and key. */
export interface ClientTls {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body as JSON; undefined when it is not. */
  body: any;
}

/**
 * One request to a listening hub over a fresh connection (http, or https with `tls`), for tests
 * that need what supertest cannot give: a client certificate, a real TLS handshake.
 */
export function httpCall(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown; tls?: ClientTls } = {}): Promise<HttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
  const send = url.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: options.method ?? 'GET', headers, ...options.tls, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
