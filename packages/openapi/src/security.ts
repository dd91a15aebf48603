/**
 * Which operations need a token, from the same metadata routing-controllers enforces: an
 * `@Authorized()` on the method or its controller, or a `@CurrentUser()` parameter (with @m8/auth
 * it always requires an authenticated user). Public routes get no `security`.
 */
import type { MetadataArgsStorage } from 'routing-controllers';
import type { ControllerClass } from './metadata';

/** Name of the OAuth2 password-flow scheme (Swagger UI's username/password form). */
export const OAUTH2_SCHEME = 'OAuth2PasswordBearer';
/** Name of the HTTP bearer scheme (a token pasted as is). */
export const BEARER_SCHEME = 'HTTPBearer';

/** The two schemes: either one authorises a protected operation. */
export function securitySchemes(tokenUrl: string): Record<string, Record<string, unknown>> {
  return {
    [OAUTH2_SCHEME]: {
      type: 'oauth2',
      description: 'Log in at the issuer with your username (email) and password; the access token is then sent as a bearer token.',
      flows: { password: { tokenUrl, scopes: {} } },
    },
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Paste an access token.',
    },
  };
}

/** Alternatives: the OAuth2 login or a pasted token. */
const requirement = (scheme: string): Record<string, string[]> => ({ [scheme]: [] });
export const SECURITY_REQUIREMENT: ReadonlyArray<Record<string, string[]>> = Object.freeze([requirement(OAUTH2_SCHEME), requirement(BEARER_SCHEME)]);

/** What a route asks of the caller. */
export interface RouteAuth {
  /** Roles named by `@Authorized(...)` on the method or the controller (any of them admits). */
  readonly roles: readonly string[];
}

/** `undefined` for a public route. */
export function routeAuth(storage: MetadataArgsStorage, controller: ControllerClass, method: string): RouteAuth | undefined {
  let guarded = false;
  const roles: string[] = [];
  for (const handler of storage.responseHandlers) {
    if (handler.type !== 'authorized' || handler.target !== controller) continue;
    if (handler.method !== undefined && handler.method !== method) continue;
    guarded = true;
    const value: unknown = handler.value;
    for (const role of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      if (typeof role === 'string' && !roles.includes(role)) roles.push(role);
    }
  }
  for (const param of storage.params) {
    if (param.type === 'current-user' && param.object.constructor === controller && param.method === method) guarded = true;
  }
  return guarded ? { roles } : undefined;
}
