/** `M8App`: the handle `bootstrap()` returns — start, listen and a graceful, idempotent close. */
import type { RequestListener, Server } from 'node:http';
import type Koa from 'koa';
import type { DependencyContainer } from 'tsyringe';
import type { AppEvents } from './events';
import type { Lifecycle } from './lifecycle/lifecycle';
import type { LifecycleState } from './lifecycle/state';
import { ConnectionDrain } from './lifecycle/connection-drain';
import { serverUrl, startServer } from './lifecycle/http-server';
import { ShutdownTimeoutError, type StillOpen } from './lifecycle/lifecycle-errors';
import { handleSignals } from './lifecycle/signals';
import { markClosed, markStarted, runInAppScope } from './di/app-scope';
import { M8Error } from './m8-error';
import type { Logger } from './logger';
import type { AppContext, Extra, StartupValidator } from './plugin';
import type { ConsumerServiceSettings } from './settings/consumer-settings';
import type { RouteInfo } from './routing/route-table';

/** `listen()` called twice on one app. */
export class AlreadyListeningError extends M8Error {
  static override readonly code = 'ERR_M8_ALREADY_LISTENING';
  override readonly code = AlreadyListeningError.code;
}

export interface ListenOptions {
  /** Default `settings.PORT`; 0 picks a free port. */
  readonly port?: number;
  /** Default `settings.HOST`. */
  readonly host?: string;
  /** SIGTERM/SIGINT → graceful close then exit; a second signal forces exit. Default true. */
  readonly handleSignals?: boolean;
}

export interface Listening {
  readonly url: string;
  readonly server: Server;
}

export interface AppParts<S extends ConsumerServiceSettings> {
  readonly koa: Koa;
  readonly container: DependencyContainer;
  readonly settings: S;
  readonly logger: Logger;
  /** Writes out buffered log lines synchronously (before the signal handler's `process.exit`). */
  readonly flushLogs: () => void;
  readonly events: AppEvents;
  readonly lifecycle: Lifecycle;
  readonly context: AppContext;
  readonly validators: readonly StartupValidator[];
  readonly extras: readonly Extra[];
  readonly routes: readonly RouteInfo[];
}

export class M8App<S extends ConsumerServiceSettings = ConsumerServiceSettings> {
  readonly koa: Koa;
  readonly container: DependencyContainer;
  readonly settings: S;
  readonly logger: Logger;
  readonly events: AppEvents;
  private readonly lifecycle: Lifecycle;
  private readonly parts: AppParts<S>;
  private server: Server | undefined;
  private drain: ConnectionDrain | undefined;
  private started: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private removeSignalHandlers: (() => void) | undefined;

  constructor(parts: AppParts<S>) {
    this.parts = parts;
    this.koa = parts.koa;
    this.container = parts.container;
    this.settings = parts.settings;
    this.logger = parts.logger;
    this.events = parts.events;
    this.lifecycle = parts.lifecycle;
  }

  /**
   * Every controller action, in routing-controllers' order, with the executor serving it
   * (`compiled`, or `routing-controllers` with the reason), e.g. for a test that pins a hot route
   * to the compiled executor.
   */
  get routes(): readonly RouteInfo[] {
    return this.parts.routes;
  }

  /** `initializing` → `ready` → `shutting_down` → `closed`. */
  get state(): LifecycleState {
    return this.lifecycle.state;
  }

  /** The Node request listener (for a server you create yourself, or supertest-style tests). */
  callback(): RequestListener {
    return this.koa.callback();
  }

  /** Runs start-up validators, then enters the extras; the app is ready after. Runs once. */
  start(): Promise<void> {
    const stepTimeoutMs = this.settings.STARTUP_TIMEOUT_SECONDS * 1000;
    this.started ??= runInAppScope({ app: this.container }, async () => {
      markStarted(this.container);
      try {
        await this.lifecycle.start(this.parts.context, this.parts.validators, this.parts.extras, stepTimeoutMs);
      } catch (error) {
        markClosed(this.container);
        throw error;
      }
      this.logger.info({ event: 'ready' }, 'ready');
    });
    return this.started;
  }

  /**
   * Listens, then starts (health answers `initializing` meanwhile). A failing start closes
   * everything again and rejects with the reason.
   */
  async listen(options: ListenOptions = {}): Promise<Listening> {
    if (this.server) throw new AlreadyListeningError('listen() was already called on this app');
    const port = options.port ?? this.settings.PORT;
    const host = options.host ?? this.settings.HOST;
    this.server = await startServer(this.koa.callback(), port, host, {
      headersTimeoutMs: this.settings.HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: this.settings.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: this.settings.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    });
    this.drain = new ConnectionDrain(this.server);
    const url = serverUrl(this.server);
    this.logger.info({ event: 'listening', url }, `listening on ${url}`);
    if (options.handleSignals ?? true) this.removeSignalHandlers = handleSignals(() => this.close(), this.logger, this.parts.flushLogs);
    try {
      await this.start();
    } catch (error) {
      this.logger.error({ event: 'startup_failed', err: error }, (error as Error).message);
      await this.close();
      throw error;
    }
    return { url, server: this.server };
  }

  /**
   * Graceful shutdown, losing no request: health answers `shutting_down` at once and every response
   * carries `Connection: close`; for `SHUTDOWN_DELAY_SECONDS` the listener still accepts (load
   * balancers and Kubernetes endpoints take that long to stop sending here); then it closes and
   * in-flight requests finish; then teardown (extras exited → auth closed → database disposed).
   * Everything after the delay is bounded by `SHUTDOWN_TIMEOUT_SECONDS`: past it, the connections
   * left are cut, one error line names what was still open, and `close()` rejects with
   * `ShutdownTimeoutError`. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= runInAppScope({ app: this.container }, () => this.shutdown()).finally(() => markClosed(this.container));
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.lifecycle.beginShutdown();
    this.logger.info({ event: 'shutting_down' }, 'shutting down');
    const delayMs = this.drain ? this.settings.shutdownDelaySeconds * 1000 : 0;
    // A client using its connection sends on it well within a second; a socket quiet that long is
    // not about to carry a request. Without a delay, idle sockets close at once (nothing to wait for).
    this.drain?.begin(Math.min(1000, delayMs));
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const timeoutMs = this.settings.SHUTDOWN_TIMEOUT_SECONDS * 1000;
    const work = this.drainAndTeardown(timeoutMs);
    const finished = await settlesWithin(work, timeoutMs);
    if (!finished) {
      const open = this.stillOpen();
      this.drain?.cutAll();
      const error = new ShutdownTimeoutError(timeoutMs, open);
      this.logger.error({ event: 'shutdown_timeout', timeoutSeconds: this.settings.SHUTDOWN_TIMEOUT_SECONDS, ...open }, error.message);
      this.removeSignalHandlers?.();
      throw error;
    }
    this.removeSignalHandlers?.();
    this.logger.info({ event: 'closed' }, 'shutdown complete');
    await new Promise<void>((resolve) => this.logger.flush(() => resolve()));
  }

  private async drainAndTeardown(timeoutMs: number): Promise<void> {
    await this.drain?.stopAccepting();
    await this.lifecycle.teardown(Math.max(1000, timeoutMs));
  }

  private stillOpen(): StillOpen {
    return {
      requests: this.drain?.openRequests() ?? [],
      connections: this.drain?.openConnections ?? 0,
      teardownStep: this.lifecycle.currentTeardownStep,
    };
  }
}

/** True when `work` settled within `ms` (its rejection is rethrown), false at the deadline. */
async function settlesWithin(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
