import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmfErrorBody } from './error-middleware';

/**
 * Requests Node's HTTP parser rejects before Koa sees them (headers or URL over the size limit,
 * malformed requests) still get a TMF Error body rather than a bare status line.
 */
export function answerClientErrors(server: Server | HttpsServer): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify(
      tooLarge
        ? tmfErrorBody(431, 'RequestHeaderFieldsTooLarge', 'Request header fields too large', 'The request line or headers exceed the size limit')
        : tmfErrorBody(400, 'BadRequest', 'Malformed request', 'The request is not valid HTTP'),
    );
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
