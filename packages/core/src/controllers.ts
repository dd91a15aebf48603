/** Mounting the user's controllers with routing-controllers, with its unsafe defaults turned off. */
import type Koa from 'koa';
import { getMetadataArgsStorage, useKoaServer } from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';
import { useRequestContainers } from './di/controller-container';
import type { AuthProvider } from './plugin';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ControllerClass = Function;

export interface MountOptions {
  readonly controllers: readonly ControllerClass[];
  readonly routePrefix: string;
  readonly container: DependencyContainer;
  readonly auth?: AuthProvider;
}

export function mountControllers(koa: Koa, options: MountOptions): void {
  assertAuthWhereNeeded(options.controllers, options.auth);
  useRequestContainers(options.container);
  const auth = options.auth;
  useKoaServer(koa, {
    // Always an explicit list: routing-controllers' metadata is process-global (STACK.md).
    controllers: [...options.controllers],
    routePrefix: options.routePrefix,
    // Its handler returns stacks outside NODE_ENV=production and copies every own property of an
    // Error into the body (SQL, parameters): core's error layer answers instead.
    defaultErrorHandler: false,
    validation: { validationError: { target: false, value: false } },
    classTransformer: true,
    ...(auth && {
      authorizationChecker: (action, roles) => auth.authorizationChecker(action, roles as string[]),
      currentUserChecker: (action) => auth.currentUserChecker(action),
    }),
  });
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
