/**
 * One Koa handler per action, compiled at start-up from routing-controllers' metadata: the
 * `@Authorized` check (exactly as routing-controllers calls `authorizationChecker`), the parameters,
 * the controller instance, the call, the result. Per request it does only what that action needs.
 */
import type { Context, Next } from 'koa';
import { ForbiddenError, type Action, type ActionMetadata } from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';
import type { AuthProvider } from '../plugin';
import { AuthPluginRequiredError } from '../controllers';
import { compileControllerFactory } from './controller-factory';
import type { RequestValidation } from './dto-input';
import { isPromise } from './normalize-param';
import { authorizationRequired, compileParam } from './param-resolver';
import { compileResultWriter } from './result-writer';

export type RouteHandler = (ctx: Context, next: Next) => Promise<void>;

export interface CompileDeps {
  readonly root: DependencyContainer;
  readonly auth: AuthProvider | undefined;
  readonly validation: RequestValidation | undefined;
}

type Authorize = (action: Action) => true | Promise<true>;

const NO_ARGS: readonly unknown[] = [];

export function compileAction(meta: ActionMetadata, deps: CompileDeps): RouteHandler {
  const authorize = meta.isAuthorizedUsed ? compileAuthorize(meta, deps.auth) : undefined;
  // routing-controllers passes the decorated parameters in index order, packed (its quirk, kept).
  const resolvers = [...meta.params].sort((a, b) => a.index - b.index).map((param) => compileParam(param, deps.auth, deps.validation));
  const count = resolvers.length;
  const instance = compileControllerFactory(meta.controllerMetadata.target, deps.root);
  const write = compileResultWriter(meta);
  const methodName = meta.method;

  return async (ctx: Context, next: Next): Promise<void> => {
    const action: Action = { request: ctx.request, response: ctx.response, context: ctx, next };
    if (authorize !== undefined) {
      const allowed = authorize(action);
      if (allowed !== true) await allowed;
    }
    let args = NO_ARGS;
    if (count > 0) {
      const values = new Array<unknown>(count);
      let pending = false;
      try {
        for (let i = 0; i < count; i++) {
          const value = resolvers[i]!(action);
          if (!pending && isPromise(value)) pending = true;
          values[i] = value;
        }
      } catch (error) {
        for (const value of values) if (isPromise(value)) value.catch(noop); // reported once, below
        throw error;
      }
      args = pending ? await Promise.all(values) : values;
    }
    const controller = instance(ctx) as Record<string, (...args: unknown[]) => unknown>;
    let result = controller[methodName]!(...args);
    if (isPromise(result)) result = await result;
    write(ctx, result, action);
  };
}

/** `false` from the checker: 401 without roles, 403 with (routing-controllers' messages); a throw propagates. */
function compileAuthorize(meta: ActionMetadata, auth: AuthProvider | undefined): Authorize {
  if (auth === undefined) throw new AuthPluginRequiredError('@Authorized() needs an auth plugin in bootstrap()\'s plugins');
  const roles = meta.authorizedRoles as string[];
  const verdict = (allowed: boolean, action: Action): true => {
    if (allowed) return true;
    if (roles.length === 0) throw authorizationRequired(action);
    const request = action.request as { method: string; url: string };
    throw new ForbiddenError(`Access is denied for request on ${request.method} ${request.url}`);
  };
  return (action) => {
    const allowed = auth.authorizationChecker(action, roles);
    return isPromise(allowed) ? allowed.then((settled) => verdict(settled, action)) : verdict(allowed, action);
  };
}

function noop(): void {}
