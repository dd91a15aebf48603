/**
 * `CURRENT_USER`: the authenticated user as a DI token, for services below the controller.
 * Registered once on the app container as a factory that reads the request's memoised outcome
 * through the request container (`KOA_CONTEXT`), so requests that never inject it pay nothing.
 */
import { KOA_CONTEXT } from '@m8/core';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { AUTH_STATE_KEY } from './authenticator';
import { AuthUsageError } from './errors';
import type { UserModel } from './user-model';

/**
 * Inject the current request's `UserModel` into a request-scoped service.
 *
 * @example
 * ```ts
 * @injectable()
 * class AuditService {
 *   constructor(@inject(CURRENT_USER) private readonly user: UserModel) {}
 * }
 * ```
 * Resolvable in routes guarded by `@Authorized()` or taking a `@CurrentUser()` parameter.
 */
export const CURRENT_USER: InjectionToken<UserModel> = Symbol.for('m8.auth.current-user');

/** Registers the `CURRENT_USER` factory on the app container. */
export function registerCurrentUser(container: DependencyContainer): void {
  container.register(CURRENT_USER, {
    useFactory: (requestContainer) => {
      if (!requestContainer.isRegistered(KOA_CONTEXT, false)) {
        throw new AuthUsageError('CURRENT_USER can only be resolved from a request container (ctx.state.container)');
      }
      const ctx = requestContainer.resolve(KOA_CONTEXT);
      const outcome = (ctx.state as Record<string, unknown>)[AUTH_STATE_KEY];
      if (typeof outcome !== 'object' || outcome === null || typeof (outcome as { id?: unknown }).id !== 'string') {
        throw new AuthUsageError(
          'CURRENT_USER was resolved before the request was authenticated: use it in routes guarded by @Authorized() or taking @CurrentUser()',
        );
      }
      return outcome as UserModel;
    },
  });
}
