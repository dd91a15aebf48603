/**
 * Node's own rejections, answered as JSON. Requests Node's HTTP parser refuses before any middleware
 * runs (a header section over the size limit, headers or a body sent too slowly, a malformed request
 * line or framing) are answered by Node with an empty body; these answer `{"detail": ...}` with the
 * same status, like every other error of the service.
 */
import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const DETAILS: Readonly<Record<number, string>> = {
  400: 'Malformed HTTP request',
  408: 'Request timeout: the request was not received in time',
  413: 'Request chunk extensions too large',
  431: 'Request header fields too large',
};

/** Node's error codes (node:http `clientError`) → the status Node itself would answer. */
function statusFor(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/** The bytes of a complete `Connection: close` answer for `status`. */
export function clientErrorResponse(status: number): string {
  const body = JSON.stringify({ detail: DETAILS[status] ?? STATUS_CODES[status] ?? 'Error' });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Installs the JSON answer on `server` and returns the listener to serve requests with: it notes
 * each connection's current response, because an answer may only be written where no response has
 * started (the check Node's default handler makes).
 */
export function answerClientErrorsAsJson(server: Server, listener: RequestListener): RequestListener {
  const responses = new WeakMap<Duplex, ServerResponse>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const response = responses.get(socket);
    const responseStarted = response !== undefined && response.headersSent && !response.writableFinished;
    if (error.code === 'ECONNRESET' || !socket.writable || responseStarted) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(statusFor(error.code)), () => socket.destroy());
  });
  return function tracked(req: IncomingMessage, res: ServerResponse): void {
    responses.set(req.socket, res);
    listener(req, res);
  };
}
