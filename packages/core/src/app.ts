/** `M8App`: the handle `bootstrap()` returns — start, listen and a graceful, idempotent close. */
import type { RequestListener, Server } from 'node:http';
import type Koa from 'koa';
import type { DependencyContainer } from 'tsyringe';
import type { AppEvents } from './events';
import type { Lifecycle } from './lifecycle/lifecycle';
import type { LifecycleState } from './lifecycle/state';
import { drainServer, serverUrl, startServer } from './lifecycle/http-server';
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
    this.started ??= runInAppScope({ app: this.container }, async () => {
      markStarted(this.container);
      try {
        await this.lifecycle.start(this.parts.context, this.parts.validators, this.parts.extras);
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
    const url = serverUrl(this.server);
    this.logger.info({ event: 'listening', url }, `listening on ${url}`);
    if (options.handleSignals ?? true) this.removeSignalHandlers = handleSignals(() => this.close(), this.logger);
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
   * Graceful shutdown: health turns `shutting_down`; after `SHUTDOWN_DELAY_SECONDS` the listener
   * closes and in-flight requests get `SHUTDOWN_TIMEOUT_SECONDS` to finish; then teardown runs
   * (extras exited → auth closed → database disposed). Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= runInAppScope({ app: this.container }, () => this.shutdown()).finally(() => markClosed(this.container));
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.lifecycle.beginShutdown();
    this.logger.info({ event: 'shutting_down' }, 'shutting down');
    const delayMs = this.settings.SHUTDOWN_DELAY_SECONDS * 1000;
    if (this.server && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.server) {
      const { forced } = await drainServer(this.server, this.settings.SHUTDOWN_TIMEOUT_SECONDS * 1000);
      if (forced) this.logger.warn({ event: 'drain_timeout' }, 'in-flight requests cut at the shutdown deadline');
    }
    await this.lifecycle.teardown(Math.max(1000, this.settings.SHUTDOWN_TIMEOUT_SECONDS * 1000));
    this.removeSignalHandlers?.();
    this.logger.info({ event: 'closed' }, 'shutdown complete');
    await new Promise<void>((resolve) => this.logger.flush(() => resolve()));
  }
}
