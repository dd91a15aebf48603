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
import type { AuthProvider } from './plugin';
import { compileAction } from './routing/compile-action';
import { FastRouter } from './routing/fast-router';
import { planRoutes } from './routing/route-plan';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ControllerClass = Function;

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
  useRequestContainers(options.container);
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
    // Always an explicit list: routing-controllers' metadata is process-global (STACK.md).
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

/** `@Authorized()`/`@CurrentUser()` without `lifecycle.auth` would be a 500 on every call: fail at start instead. */
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
    throw new Error(
      `${[...guarded].join(', ')} use @Authorized()/@CurrentUser(), but bootstrap() got no lifecycle.auth. ` +
        `Pass lifecycle: { auth: buildAuthDeps(settings) } from @m8/auth.`,
    );
  }
}

function nameOf(target: object): string {
  return (target as { name?: string }).name || (target.constructor as { name?: string })?.name || 'a controller';
}
