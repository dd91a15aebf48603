/** The authenticated user, as controllers and services see it. */
import type { Role } from './roles';

/**
 * The user behind a valid access token: the token's claims (docs/interop.md §1) in camelCase, with the
 * contract's defaults applied. Frozen: the same object may serve every request that repeats a token.
 *
 * @example
 * ```ts
 * @Get('/me') me(@CurrentUser() user: UserModel) { return { id: user.id, email: user.email }; }
 * ```
 */
export interface UserModel {
  /** The `sub` claim (a UUID). */
  readonly id: string;
  /** Same as `id`, under the claim's own name. */
  readonly sub: string;
  /** Trimmed and lower-cased. */
  readonly email: string;
  readonly fullName: string | null;
  readonly avatar: string | null;
  /** Default true. A false value answers 403 `Inactive user`. */
  readonly isActive: boolean;
  /** Default false. */
  readonly emailVerified: boolean;
  /** Default false. Only the SUPERADMIN guard consults it. */
  readonly isSuperuser: boolean;
  /** Default `user`. */
  readonly role: Role;
  /** A UUID string, or null (later contract). */
  readonly tenantId: string | null;
  /** The token id, sent verbatim to jti-status in stateful mode. */
  readonly jti: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
}
