/** The `AppContext` that plugins receive: it collects their middleware, routes, auth and teardown steps. */
import type { Middleware } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import type { ControllerClass } from './controllers';
import type { AppEvents } from './events';
import type { Lifecycle } from './lifecycle/lifecycle';
import type { LifecycleState } from './lifecycle/state';
import type { Logger } from './logger';
import { M8Error } from './m8-error';
import type { AppContext, AuthProvider, InternalRoute, M8Plugin, M8State, MiddlewareStage } from './plugin';
import type { ConsumerServiceSettings } from './settings/consumer-settings';

/** A plugin (or user code) added to the pipeline after `bootstrap()` built it: it would silently do nothing. */
export class AppSealedError extends M8Error {
  static override readonly code = 'ERR_M8_APP_SEALED';
  override readonly code = AppSealedError.code;
}

/** A second plugin supplied routing-controllers' auth checkers. */
export class AuthProviderConflictError extends M8Error {
  static override readonly code = 'ERR_M8_AUTH_PROVIDER_CONFLICT';
  override readonly code = AuthProviderConflictError.code;
}

export interface PluginHostOptions {
  readonly settings: ConsumerServiceSettings;
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly events: AppEvents;
  readonly lifecycle: Lifecycle;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly controllers: readonly ControllerClass[];
  readonly plugins: readonly M8Plugin[];
}

export class PluginHost implements AppContext {
  readonly settings: ConsumerServiceSettings;
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly events: AppEvents;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly controllers: readonly ControllerClass[];
  readonly plugins: readonly M8Plugin[];
  /** The middleware plugins added, by pipeline stage. */
  readonly middleware: Record<MiddlewareStage, Middleware<M8State>[]> = { observe: [], request: [] };
  readonly routes: InternalRoute[] = [];
  private authProvider: AuthProvider | undefined;
  private readonly lifecycle: Lifecycle;
  private sealed = false;

  constructor(options: PluginHostOptions) {
    this.settings = options.settings;
    this.container = options.container;
    this.logger = options.logger;
    this.events = options.events;
    this.lifecycle = options.lifecycle;
    this.serviceName = options.serviceName;
    this.serviceVersion = options.serviceVersion;
    this.controllers = options.controllers;
    this.plugins = options.plugins;
  }

  get apiPrefix(): string {
    return this.settings.apiPrefix;
  }

  get state(): LifecycleState {
    return this.lifecycle.state;
  }

  /** What the auth plugin supplied, if any. */
  get auth(): AuthProvider | undefined {
    return this.authProvider;
  }

  use(stage: MiddlewareStage, middleware: Middleware<M8State>): void {
    this.assertOpen('use()');
    this.middleware[stage].push(middleware);
  }

  route(route: InternalRoute): void {
    this.assertOpen('route()');
    this.routes.push(route);
  }

  authorize(provider: AuthProvider): void {
    this.assertOpen('authorize()');
    if (this.authProvider !== undefined) throw new AuthProviderConflictError('Two plugins supplied the auth checkers (app.authorize()); list one auth plugin.');
    this.authProvider = provider;
  }

  onClose(name: string, close: () => Promise<void> | void): void {
    this.lifecycle.onClose(name, close);
  }

  /** After the pipeline is built, adding to it would silently do nothing: refuse loudly instead. */
  seal(): void {
    this.sealed = true;
  }

  private assertOpen(what: string): void {
    if (this.sealed) throw new AppSealedError(`${what} was called after bootstrap() built the app; call it from a plugin's setup().`);
  }
}
