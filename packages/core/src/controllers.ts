/**
 * Mounting the user's controllers: the one place that decides who serves each action. By default
 * the compiled executor (`routing/`) serves every action whose answer it can give exactly as
 * routing-controllers would (see `routing/route-table.ts`); routing-controllers itself, with its
 * unsafe defaults turned off, serves the other controllers (and everything with
 * `routing: 'routing-controllers'`). Both end up in one middleware, the routing stage of bootstrap.ts.
 */
import type { Middleware } from 'koa';
import { createServer, getMetadataArgsStorage, type RoutingControllersOptions } from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';
import { useRequestContainers } from './di/controller-container';
import type { Logger } from './logger';
import { M8Error } from './m8-error';
import type { AuthProvider } from './plugin';
import { compileAction, type RouteHandler } from './routing/compile-action';
import type { RequestValidation } from './routing/dto-input';
import { FallbackDriver } from './routing/fallback-driver';
import { routingStage } from './routing/routing-stage';
import { buildRouteTable, routeInfo, type RouteEntry, type RouteInfo } from './routing/route-table';
import { RoutingSetupError } from './routing/routing-errors';
import { installCommand } from './util/install-hint';

/** A controller class (decorated with `@JsonController()`/`@Controller()`). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ControllerClass = Function;

/** A controller uses `@Authorized()`/`@CurrentUser()` and no plugin supplies auth. */
export class AuthPluginRequiredError extends M8Error {
  static override readonly code = 'ERR_M8_AUTH_PLUGIN_REQUIRED';
  override readonly code = AuthPluginRequiredError.code;
}

export interface MountOptions {
  readonly controllers: readonly ControllerClass[];
  readonly routePrefix: string;
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly auth?: AuthProvider;
  /** `fast` (default): the compiled executor where it answers exactly as routing-controllers; `routing-controllers`: routing-controllers for everything. */
  readonly routing?: RoutingMode;
  /** class-validator options for every DTO parameter; default `{ whitelist: true }`. */
  readonly validation?: RequestValidation;
}

export type RoutingMode = 'fast' | 'routing-controllers';

export interface Routing {
  /** The routing stage: compiled actions, then routing-controllers, then 405/501 with `Allow`. */
  readonly middleware: Middleware;
  /** Every action, in routing-controllers' order, with the executor serving it. */
  readonly routes: readonly RouteInfo[];
}

/** Unknown DTO properties are dropped unless told otherwise; values never echoed in validation errors. */
const DEFAULT_VALIDATION: RequestValidation = { whitelist: true };

export function buildRouting(options: MountOptions): Routing {
  assertAuthWhereNeeded(options.controllers, options.auth);
  useRequestContainers();
  const validation: RequestValidation = { ...DEFAULT_VALIDATION, ...options.validation, validationError: { target: false, value: false } };
  const settings = routingControllersOptions(options, validation);
  const entries = buildRouteTable(options.controllers, settings, options.routing !== 'routing-controllers');
  const handlers = new Map<RouteEntry, RouteHandler>();
  const deps = { root: options.container, auth: options.auth, validation };
  for (const entry of entries) if (entry.executor === 'compiled') handlers.set(entry, compileAction(entry.meta, deps));
  const fallbackControllers = [...new Set(entries.filter((e) => e.executor !== 'compiled').map((e) => e.controller))];
  const fallback = fallbackControllers.length > 0 ? mountFallback(fallbackControllers, settings, validation, entries) : undefined;
  const routes = entries.map(routeInfo);
  for (const route of routes) options.logger.debug({ event: 'route', ...route }, `${route.method} ${route.path} → ${route.action}: ${route.executor}`);
  return { middleware: routingStage({ entries, handlers, fallback }), routes };
}

function mountFallback(controllers: ControllerClass[], settings: RoutingControllersOptions, validation: RequestValidation, entries: readonly RouteEntry[]) {
  const driver = new FallbackDriver(validation);
  createServer(driver, { ...settings, controllers: [...controllers] });
  const expected = entries.filter((e) => e.executor !== 'compiled').length;
  if (driver.layers.length !== expected) {
    throw new RoutingSetupError(`routing-controllers registered ${driver.layers.length} routes for ${expected} actions; this routing-controllers version is not supported`);
  }
  return { middlewares: driver.middlewares, layers: driver.layers };
}

function routingControllersOptions(options: MountOptions, validation: RequestValidation): RoutingControllersOptions {
  const auth = options.auth;
  return {
    // Always an explicit list: routing-controllers' metadata is process-global.
    controllers: [...options.controllers],
    routePrefix: options.routePrefix,
    // Its handler returns stacks outside NODE_ENV=production and copies every own property of an
    // Error into the body (SQL, parameters): core's error layer answers instead.
    defaultErrorHandler: false,
    validation,
    classTransformer: true,
    ...(auth && {
      authorizationChecker: (action, roles) => auth.authorizationChecker(action, roles as string[]),
      currentUserChecker: (action) => auth.currentUserChecker(action),
    }),
  };
}

/** `@Authorized()`/`@CurrentUser()` without an auth plugin would be a 500 on every call: fail at start instead. */
function assertAuthWhereNeeded(controllers: readonly ControllerClass[], auth: AuthProvider | undefined): void {
  if (auth) return;
  const storage = getMetadataArgsStorage();
  const targets = new Set(controllers);
  const guarded = new Set<string>();
  for (const handler of storage.responseHandlers) {
    if (handler.type === 'authorized' && targets.has(handler.target)) guarded.add(handler.target.name);
  }
  for (const param of storage.params) {
    if (param.type === 'current-user' && targets.has(param.object.constructor)) guarded.add(param.object.constructor.name);
  }
  if (guarded.size > 0) {
    throw new AuthPluginRequiredError(
      `${[...guarded].join(', ')} use @Authorized()/@CurrentUser(), but bootstrap()'s plugins supply no auth. ` +
        `Add buildAuthDeps(settings) from @m8/auth (${installCommand(['@m8/auth'])}) to the plugins.`,
    );
  }
}
