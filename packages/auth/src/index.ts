/**
 * @m8/auth — JWT validation (jose / node:crypto), role guards, `@CurrentUser()` and the revocation
 * client of the m8 stack (docs/interop.md). `buildAuthDeps(settings)` is the plugin to list in
 * `bootstrap()`'s `plugins`, after the database.
 */
export { buildAuthDeps, AuthDeps, authPosture } from './auth-deps';
export type { AuthPosture } from './auth-deps';
export type { AuthOptions } from './options';
export { ServiceTokenIdentity, StaticIdentity } from './client-identity';
export type { ClientIdentity, IdentityHeaders, ServiceTokenOptions } from './client-identity';
export { AUTH_DEFAULTS, AuthConfigError } from './options';
export { Role, ROLES, isRole, hasMinimumRole, hasSuperuserPrivileges, satisfiesRole } from './roles';
export type { UserModel } from './user-model';
export { CURRENT_USER } from './current-user';
export {
  TokenRejectedError,
  TokenMalformedError,
  TokenSignatureError,
  TokenAlgorithmError,
  TokenExpiredError,
  TokenNotYetValidError,
  TokenClaimError,
  TokenKeyNotFoundError,
  JwksError,
  NotAuthenticatedError,
  InvalidTokenError,
  TokenRevokedError,
  RevocationUnavailableError,
  InactiveUserError,
  InsufficientPrivilegesError,
  AuthUsageError,
  ServiceTokenError,
} from './errors';
export type { TokenRejectionReason, InvalidTokenStatus, AuthErrorCode } from './errors';
export { validateClaims } from './claims';
export type { ClaimsPolicy } from './claims';
export { MAX_TOKEN_LENGTH } from './compact-jws';
