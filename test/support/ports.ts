import { createServer } from 'node:net';

/**
 * A loopback TCP port nothing listens on: bound to port 0, then released. The OS hands out ephemeral
 * ports in rotation, so it stays free for a test that wants a closed port or one to listen on later.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
