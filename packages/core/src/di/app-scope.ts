/**
 * tsyringe's own `container`, as services write it (`container.resolve(DbEngine)`), answering for
 * the right app.
 *
 * Each app keeps its registrations in its own container. What an app registers is made visible
 * to tsyringe's global container through one factory registration per token, which looks the
 * current app up when it is resolved:
 * 1. during a request of an m8 app: that request's container (request-scoped things stay so);
 * 2. while an app's plugins, validators, extras or teardown run: that app's container;
 * 3. otherwise the one started app; with none, or several, a coded error (use `app.container`).
 *
 * The factories read only the app's own registrations, never another app's; with no app left
 * running they throw `NoAppError`. tsyringe has no way to remove one registration, so the
 * factories stay registered (they hold no reference to a closed app).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { container as globalContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { M8Error } from '../m8-error';

/** The app (and, during a request, the request container) that global resolutions answer for. */
export interface AppScope {
  /** The app container. */
  readonly app: DependencyContainer;
  /** The request container, created on first use; absent outside a request. */
  readonly request?: () => DependencyContainer;
}

/** `container.resolve(...)` outside any request or lifecycle step, with no m8 app started. */
export class NoAppError extends M8Error {
  static override readonly code = 'ERR_M8_NO_APP';
  override readonly code = NoAppError.code;
  constructor(token: string) {
    super(`container.resolve(${token}) found no started m8 app: resolve it during a request, after app.listen()/app.start(), or from app.container.`);
  }
}

/** `container.resolve(...)` outside a request with several m8 apps started: which one is meant is unknowable. */
export class AmbiguousAppError extends M8Error {
  static override readonly code = 'ERR_M8_AMBIGUOUS_APP';
  override readonly code = AmbiguousAppError.code;
  constructor(token: string, count: number) {
    super(`container.resolve(${token}) outside a request, with ${count} m8 apps started: resolve it from app.container of the app you mean.`);
  }
}

/** The current app does not provide the token (e.g. `DbEngine` without the db plugin). */
export class NotProvidedError extends M8Error {
  static override readonly code = 'ERR_M8_NOT_PROVIDED';
  override readonly code = NotProvidedError.code;
  constructor(token: string, options?: { cause?: unknown }) {
    super(`${token} is not provided by this m8 app: add the plugin that provides it to bootstrap()'s plugins.`, options);
  }
}

const current = new AsyncLocalStorage<AppScope>();
const started = new Set<DependencyContainer>();
const bridged = new Set<InjectionToken<unknown>>();

/** Runs `fn` with `scope` as the app that global resolutions answer for. */
export function runInAppScope<T>(scope: AppScope, fn: () => T): T {
  return current.run(scope, fn);
}

/** The app a global resolution answers for right now, if any. */
export function currentAppScope(): AppScope | undefined {
  return current.getStore();
}

/** From `start()` to `close()`, an app answers global resolutions made outside any request. */
export function markStarted(app: DependencyContainer): void {
  started.add(app);
}

export function markClosed(app: DependencyContainer): void {
  started.delete(app);
}

/** Makes `token` resolvable from tsyringe's global container, for whichever app is current. */
export function bridgeToken(token: InjectionToken<unknown>): void {
  if (bridged.has(token)) return;
  bridged.add(token);
  globalContainer.register(token, { useFactory: () => resolveForCurrentApp(token) });
}

function resolveForCurrentApp(token: InjectionToken<unknown>): unknown {
  const scope = current.getStore() ?? scopeOfTheStartedApp(token);
  const request = scope.request?.();
  if (request !== undefined && request.isRegistered(token, false)) return request.resolve(token);
  const here = request ?? scope.app;
  if (scope.app.isRegistered(token, false)) return here.resolve(token);
  if (typeof token === 'function') return constructUnregistered(here, token as new (...args: never[]) => unknown);
  throw new NotProvidedError(describe(token));
}

/**
 * A class another app registered, resolved in an app that did not: tsyringe's default (a new
 * instance, dependencies from this app), or `NotProvidedError` when it cannot be built (a class
 * such as `DbEngine` that only a plugin provides).
 */
function constructUnregistered(here: DependencyContainer, token: new (...args: never[]) => unknown): unknown {
  const scratch = here.createChildContainer();
  scratch.register(token, { useClass: token });
  try {
    return scratch.resolve(token);
  } catch (error) {
    if (M8Error.isM8Error(error)) throw error;
    throw new NotProvidedError(describe(token), { cause: error });
  }
}

function scopeOfTheStartedApp(token: InjectionToken<unknown>): AppScope {
  if (started.size === 0) throw new NoAppError(describe(token));
  if (started.size > 1) throw new AmbiguousAppError(describe(token), started.size);
  const [app] = started as Set<DependencyContainer> & Iterable<DependencyContainer>;
  return { app: app! };
}

function describe(token: InjectionToken<unknown>): string {
  if (typeof token === 'function') return token.name;
  return String(token);
}

/**
 * The app container handed to plugins and users: registering on it also bridges the token, so
 * whatever a plugin provides (`DbEngine`, a metrics registry...) is reachable as users write it.
 */
export function bridgingContainer(app: DependencyContainer): DependencyContainer {
  const recording = new Set(['register', 'registerInstance', 'registerSingleton', 'registerType']);
  return new Proxy(app, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && recording.has(property)) {
        return (token: InjectionToken<unknown>, ...rest: unknown[]) => {
          (value as (...args: unknown[]) => unknown).apply(target, [token, ...rest]);
          bridgeToken(token);
          return receiver;
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
