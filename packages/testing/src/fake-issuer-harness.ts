/**
 * The loopback HTTP server behind the fake issuer's endpoints (jti-status, JWKS): ephemeral port on
 * 127.0.0.1, and a close that never hangs on keep-alive connections or slow answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Harness {
  readonly server: Server;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Stops listening, drops open connections (keep-alive, slow replies) and pending timers. */
  close(): Promise<void>;
  /** A timer cleared by `close()`. */
  later(ms: number, run: () => void): void;
}

/** `port` 0 (default) picks a free one; a restarted issuer passes its old port to keep its URL. */
export async function startHarness(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void, port = 0): Promise<Harness> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    origin: `http://127.0.0.1:${bound}`,
    later(ms, run) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, ms);
      timers.add(timer);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
