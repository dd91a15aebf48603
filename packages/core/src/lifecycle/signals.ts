/**
 * SIGTERM/SIGINT: the first starts a graceful shutdown and exits when it is done; a second one
 * forces the exit. The only place in m8 that calls `process.exit`, and only when the service owns
 * the process (`listen({ handleSignals: true })`, the default for `listen()`).
 */
import type { Logger } from '../logger';

export function handleSignals(close: () => Promise<void>, logger: Logger): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received > 1) {
      logger.warn({ signal }, 'second signal: forcing exit');
      process.exit(1);
    }
    logger.info({ signal }, 'shutdown signal received');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
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
