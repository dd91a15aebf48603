/**
 * Mounting the user's controllers: the one place that decides who serves each action. By default
 * the fast executor (`routing/`) serves every action it implements, compiled at start-up from
 * routing-controllers' metadata; routing-controllers itself, mounted after it with its unsafe
 * defaults turned off, serves the controllers that use anything else (and everything with
 * `routing: 'routing-controllers'`).
 */
import type Koa from 'koa';
import { getMetadataArgsStorage, useKoaServer, type RoutingControllersOptions } from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';
import { useRequestContainers } from './di/controller-container';
import { M8Error } from './m8-error';
import { installCommand } from './util/install-hint';
import type { AuthProvider } from './plugin';
import { compileAction } from './routing/compile-action';
import { FastRouter } from './routing/fast-router';
import { planRoutes } from './routing/route-plan';

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
  readonly auth?: AuthProvider;
  /** `fast` (default): the fast executor where it can; `routing-controllers`: routing-controllers for everything. */
  readonly routing?: RoutingMode;
}

export type RoutingMode = 'fast' | 'routing-controllers';

/** What routing-controllers is told, and what the fast executor mirrors. */
const VALIDATION = { validationError: { target: false, value: false } } as const;

export function mountControllers(koa: Koa, options: MountOptions): void {
  assertAuthWhereNeeded(options.controllers, options.auth);
  useRequestContainers();
  const settings = routingControllersOptions(options);
  if (options.routing === 'routing-controllers') {
    useKoaServer(koa, { ...settings, controllers: [...options.controllers] });
    return;
  }
  const plan = planRoutes(options.controllers, settings);
  const router = new FastRouter();
  const deps = { root: options.container, auth: options.auth, validation: VALIDATION };
  for (const route of plan.fast) router.add(route.method, route.path, route.path, compileAction(route.meta, deps));
  koa.use(router.middleware());
  if (plan.fallback.length > 0) useKoaServer(koa, { ...settings, controllers: [...plan.fallback] });
}

function routingControllersOptions(options: MountOptions): RoutingControllersOptions {
  const auth = options.auth;
  return {
    // Always an explicit list: routing-controllers' metadata is process-global.
    controllers: [...options.controllers],
    routePrefix: options.routePrefix,
    // Its handler returns stacks outside NODE_ENV=production and copies every own property of an
    // Error into the body (SQL, parameters): core's error layer answers instead.
    defaultErrorHandler: false,
    validation: VALIDATION,
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
    if (handler.type === 'authorized' && targets.has(handler.target.constructor ?? handler.target)) guarded.add(nameOf(handler.target));
    if (handler.type === 'authorized' && targets.has(handler.target)) guarded.add(nameOf(handler.target));
  }
  for (const param of storage.params) {
    if (param.type === 'current-user' && targets.has(param.object.constructor)) guarded.add(nameOf(param.object.constructor));
  }
  if (guarded.size > 0) {
    throw new AuthPluginRequiredError(
      `${[...guarded].join(', ')} use @Authorized()/@CurrentUser(), but bootstrap()'s plugins supply no auth. ` +
        `Add buildAuthDeps(settings) from @m8/auth (${installCommand(['@m8/auth'])}) to the plugins.`,
    );
  }
}

function nameOf(target: object): string {
  return (target as { name?: string }).name || (target.constructor as { name?: string })?.name || 'a controller';
}
