import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's parser errors that keep their own status: the rest of what it cannot parse is a 400. */
const ANSWERS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'headers_too_large',
    message: 'the request line and headers are larger than 16 KiB',
  },
  HPE_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'request_timeout',
    message: 'the request was not received in time',
  },
};
const BAD_REQUEST = {
  status: 400,
  reason: 'Bad Request',
  code: 'bad_request',
  message: 'the request is not valid HTTP',
};

/**
 * Requests Node's HTTP parser refuses (a URL or headers over 16 KiB, broken framing) get our JSON error shape
 * instead of Node's bare status line: no request object exists yet, so the answer is written to the socket.
 */
export function jsonClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A peer that went away, or a response already under way on this socket: nothing can be answered.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const a = ANSWERS[err.code ?? ''] ?? BAD_REQUEST;
    const body = JSON.stringify({ error: { code: a.code, message: a.message } });
    socket.end(
      `HTTP/1.1 ${a.status} ${a.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
