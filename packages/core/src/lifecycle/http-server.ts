import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { answerClientErrorsAsJson } from './client-errors';

export interface ServerTimeouts {
  /** Time a client gets to send the request headers (`HEADERS_TIMEOUT_SECONDS`); 408 beyond. */
  readonly headersTimeoutMs: number;
  /** Time a client gets to send the whole request (`REQUEST_TIMEOUT_SECONDS`); 408 beyond. */
  readonly requestTimeoutMs: number;
  /** Idle time before a keep-alive connection is closed (`KEEP_ALIVE_TIMEOUT_SECONDS`). */
  readonly keepAliveTimeoutMs: number;
}

export async function startServer(listener: RequestListener, port: number, host: string, timeouts: ServerTimeouts): Promise<Server> {
  const server = createServer({
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default): check every second.
    connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
  });
  server.on('request', answerClientErrorsAsJson(server, listener));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function serverUrl(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`;
}
