/** Listens on a free loopback port and prints the one line the packaging test waits for. */
import type { M8App } from '@m8/core';

export async function serve(app: M8App, extra: Record<string, unknown> = {}): Promise<void> {
  const { url } = await app.listen({ port: 0, host: '127.0.0.1' }); // SIGTERM closes it gracefully
  process.stdout.write(`READY ${JSON.stringify({ url, ...extra })}\n`);
}

export function fail(error: unknown): void {
  process.stderr.write(`FAILED ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
