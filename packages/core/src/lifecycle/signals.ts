/**
 * SIGTERM/SIGINT: the first starts a graceful shutdown and exits when it is done; a second one
 * forces the exit. The only place in m8 that calls `process.exit`, and only when the service owns
 * the process (`listen({ handleSignals: true })`, the default for `listen()`). Exit codes: 0 done,
 * 1 failed or forced, `SHUTDOWN_TIMEOUT_EXIT_CODE` (124) past `SHUTDOWN_TIMEOUT_SECONDS`. Logs are
 * flushed synchronously before each exit.
 */
import type { Logger } from '../logger';
import { SHUTDOWN_TIMEOUT_EXIT_CODE, ShutdownTimeoutError } from './lifecycle-errors';

export function handleSignals(close: () => Promise<void>, logger: Logger, flushLogs: () => void): () => void {
  let received = 0;
  const exit = (code: number): never => {
    try {
      flushLogs();
    } catch {
      // Nothing more can be done for a log line at exit; never let it mask the exit itself.
    }
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received > 1) {
      logger.warn({ signal }, 'second signal: forcing exit');
      exit(1);
    }
    logger.info({ signal }, 'shutdown signal received');
    close().then(
      () => exit(0),
      (error: unknown) => {
        // The timeout was logged by close() itself, naming what was still open.
        if (error instanceof ShutdownTimeoutError) exit(SHUTDOWN_TIMEOUT_EXIT_CODE);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
