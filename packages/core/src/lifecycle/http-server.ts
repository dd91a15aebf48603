import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export async function startServer(listener: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(listener);
  // Keep-alive longer than typical load-balancer idle timeouts, so the LB closes first.
  server.keepAliveTimeout = 65_000;
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

/**
 * Stops accepting connections, lets in-flight requests finish within `deadlineMs`, then cuts what
 * is left. Idle keep-alive connections are closed as soon as they become idle.
 */
export async function drainServer(server: Server, deadlineMs: number): Promise<{ forced: boolean }> {
  if (!server.listening) return { forced: false };
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  let forced = false;
  const deadline = new Promise<void>((resolve) =>
    setTimeout(() => {
      forced = true;
      server.closeAllConnections();
      resolve();
    }, deadlineMs).unref(),
  );
  await Promise.race([closed, deadline]);
  clearInterval(sweeper);
  return { forced };
}
