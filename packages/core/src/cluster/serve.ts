/**
 * `serve()`: runs a service as one process (`WORKERS=1`, the default) or as a node:cluster of
 * `WORKERS` processes sharing the port. The same entry point works for both: in the primary it
 * supervises, in each worker (and in a single process) it builds the app and listens.
 */
import cluster from 'node:cluster';
import pino from 'pino';
import { container as globalContainer } from 'tsyringe';
import type { Listening, ListenOptions, M8App } from '../app';
import { CLUSTER_MEMBER } from '../di/tokens';
import { createLogger } from '../logger';
import type { ConsumerServiceSettings } from '../settings/consumer-settings';
import { IpcClusterMember } from './member';
import { ClusterPrimary } from './primary';
import { workerCount } from './worker-count';

export type Served<S extends ConsumerServiceSettings> =
  | { readonly role: 'single' | 'worker'; readonly app: M8App<S>; readonly listening: Listening }
  | { readonly role: 'primary'; readonly primary: ClusterPrimary };

/** Margin on top of a worker's own drain (delay + timeout) before the primary kills it. */
const STOP_MARGIN_MS = 5000;

/**
 * Starts the service: with `WORKERS` = 1 it calls `createApp()` and `listen()`s; with more, this
 * process becomes the primary and forks that many workers, each running this same entry point.
 * Call it once, from the entry point, with settings loaded from the environment.
 *
 * @example
 * ```ts
 * const settings = ConsumerServiceSettings.load();
 * await serve(settings, () => bootstrap(settings, { controllers: [ItemsController] }));
 * ```
 */
export async function serve<S extends ConsumerServiceSettings>(
  settings: S,
  createApp: () => Promise<M8App<S>>,
  options: ListenOptions = {},
): Promise<Served<S>> {
  const workers = workerCount(settings.WORKERS);
  if (workers <= 1) {
    const app = await createApp();
    return { role: 'single', app, listening: await app.listen(options) };
  }
  if (cluster.isPrimary) {
    const logger = createLogger({ level: settings.LOG_LEVEL, serviceName: settings.PROJECT_NAME, serviceVersion: '', destination: pino.destination({ dest: 1, sync: true }) });
    const primary = new ClusterPrimary({
      workers,
      logger,
      stopTimeoutMs: (settings.shutdownDelaySeconds + settings.SHUTDOWN_TIMEOUT_SECONDS) * 1000 + STOP_MARGIN_MS,
    });
    primary.on('worker-ready', ({ workerId, pid }) => logger.info({ event: 'worker_ready', workerId, pid }, `worker ${workerId} ready`));
    if (options.handleSignals ?? true) primary.handleSignals();
    primary.start();
    return { role: 'primary', primary };
  }
  // A worker: its plugins find the member in their setup() (the app container is a child of this one).
  const member = new IpcClusterMember(workers);
  globalContainer.register(CLUSTER_MEMBER, { useValue: member });
  const app = await createApp();
  const listening = await app.listen(options);
  member.reportState('ready');
  return { role: 'worker', app, listening };
}
