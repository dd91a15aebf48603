/**
 * The seams between @m8/core and the feature packages.
 *
 * Core never imports @m8/auth, @m8/db, @m8/health or @m8/metrics. Each of them implements one of
 * the small interfaces below, and `bootstrap()` composes what it is given. A service installs only
 * the packages it uses.
 */
import type { Middleware, ParameterizedContext } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import type { Action } from 'routing-controllers';
import type { Logger } from './logger';
import type { ConsumerServiceSettings } from './settings/consumer-settings';
import type { AppEvents } from './events';
import type { LifecycleState } from './lifecycle/state';
import type { ControllerClass } from './controllers';

/** Koa context as m8 sees it: `ctx.state` carries the request scope. */
export type M8Context = ParameterizedContext<M8State>;

/** Per-request state that core puts on `ctx.state`. */
export interface M8State {
  /** The sanitised or generated request id, echoed as `X-Request-Id`. */
  requestId: string;
  /** Request-scoped DI container (a child of the app container), created on first use. */
  readonly container: DependencyContainer;
  [key: string]: unknown;
}

/** What `bootstrap()` hands to every plugin's `setup()`, validators and extras: everything a feature may hook into. */
export interface AppContext {
  readonly settings: ConsumerServiceSettings;
  /** The app-wide container. Register singletons here; request scope comes from `ctx.state.container`. */
  readonly container: DependencyContainer;
  readonly logger: Logger;
  /** Typed, per-app telemetry events (auth failures, revocation results, health checks...). */
  readonly events: AppEvents;
  /** `initializing` → `ready` → `shutting_down` → `closed`. */
  readonly state: LifecycleState;
  readonly serviceName: string;
  readonly serviceVersion: string;
  /** `API_PREFIX` normalised: '' or '/segment' without a trailing slash. */
  readonly apiPrefix: string;
  /** The controller classes mounted under `apiPrefix` (e.g. for an OpenAPI document). */
  readonly controllers: readonly ControllerClass[];
  /** The plugins of this app, in list order (e.g. to find out whether `auth` is among them). */
  readonly plugins: readonly M8Plugin[];
  /**
   * Adds a Koa middleware at a fixed stage of the pipeline (see `bootstrap.ts` for the order):
   * - `observe`: outside the error layer; sees every final status (metrics).
   * - `request`: inside the error layer, before any route (db request context).
   */
  use(stage: MiddlewareStage, middleware: Middleware<M8State>): void;
  /**
   * Serves an internal route (health, ping, metrics, docs) before the controllers. `path` is
   * absolute (the caller adds `apiPrefix` where the contract wants it). Internal routes are
   * never part of the OpenAPI document.
   */
  route(route: InternalRoute): void;
  /**
   * Supplies routing-controllers' `authorizationChecker` and `currentUserChecker` for the
   * controllers' `@Authorized()` and `@CurrentUser()` (the auth plugin does; once per app).
   */
  authorize(provider: AuthProvider): void;
  /** Runs at shutdown, in reverse registration order, after the listener closed. */
  onClose(name: string, close: () => Promise<void> | void): void;
}

export type MiddlewareStage = 'observe' | 'request';

export interface InternalRoute {
  readonly method: 'GET' | 'POST' | 'HEAD';
  /** Exact paths answered by this route (e.g. with and without a trailing slash). */
  readonly paths: readonly string[];
  /** Label for logs and metrics (e.g. `/api/health/`). */
  readonly template: string;
  readonly handler: (ctx: M8Context) => Promise<void> | void;
}

/**
 * A feature plugged into `bootstrap()` through its `plugins` list. `setup` runs once per app, in
 * list order; what it registers with `onClose` runs at shutdown in reverse order.
 */
export interface M8Plugin {
  /** Short, unique name used in logs and error messages, e.g. `auth`. */
  readonly name: string;
  /** The npm package providing the plugin, for the compatibility and duplicate-copy checks. */
  readonly package?: PackageInfo;
  setup(app: AppContext): void | Promise<void>;
}

/** An installed package as read from its package.json (see `readPackageInfo`). */
export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  /** The directory holding its package.json. */
  readonly path?: string;
}

/** routing-controllers' two auth callbacks, supplied by the auth plugin through `app.authorize()`. */
export interface AuthProvider {
  /** routing-controllers' authorization checker: throw the 401/403/503 yourself; return false only for a role miss. */
  authorizationChecker(action: Action, roles: string[]): Promise<boolean> | boolean;
  /** routing-controllers' current-user checker. */
  currentUserChecker(action: Action): Promise<unknown> | unknown;
}

/** An async context entered at start-up and exited at shutdown (before the plugins are closed). */
export interface Extra {
  readonly name: string;
  enter(app: AppContext): Promise<void> | void;
  exit(): Promise<void> | void;
}

/** A start-up validator: a throw (or rejection) aborts start with its message. */
export type StartupValidator = ((app: AppContext) => Promise<void> | void) & { readonly validatorName?: string };
