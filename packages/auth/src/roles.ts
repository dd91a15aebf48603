/**
 * Roles of the m8 stack and their order (docs/interop.md §2): superadmin > admin > writer > reader > user.
 * A guard for role R admits every role at or above R; the SUPERADMIN guard also wants `is_superuser`.
 */

/**
 * The five role strings, usable as values (`@Authorized(Role.WRITER)`) and as a type (`Role`).
 *
 * @example
 * ```ts
 * @Authorized(Role.ADMIN) @Delete('/:id/admin') remove() { ... }
 * ```
 */
export const Role = {
  USER: 'user',
  READER: 'reader',
  WRITER: 'writer',
  ADMIN: 'admin',
  SUPERADMIN: 'superadmin',
} as const;

/** One of `'user' | 'reader' | 'writer' | 'admin' | 'superadmin'`. */
export type Role = (typeof Role)[keyof typeof Role];

/** Every role, lowest first. */
export const ROLES: readonly Role[] = Object.freeze([Role.USER, Role.READER, Role.WRITER, Role.ADMIN, Role.SUPERADMIN]);

const RANK: ReadonlyMap<string, number> = new Map(ROLES.map((role, index) => [role, index]));

/** True when `value` is one of the five role strings (exact, case-sensitive, as the issuer writes them). */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && RANK.has(value);
}

/**
 * True when `current` is `required` or above it (the `minimum_role_matrix` truth table).
 *
 * @example
 * ```ts
 * hasMinimumRole(Role.ADMIN, Role.WRITER); // true
 * hasMinimumRole(Role.READER, Role.WRITER); // false
 * ```
 */
export function hasMinimumRole(current: Role, required: Role): boolean {
  const have = RANK.get(current);
  const want = RANK.get(required);
  if (have === undefined || want === undefined) return false;
  return have >= want;
}

/**
 * The SUPERADMIN guard's rule: the role is `superadmin` **and** `is_superuser` is true (the
 * `role_flag_matrix` truth table). Neither alone is enough.
 */
export function hasSuperuserPrivileges(user: { readonly role: Role; readonly isSuperuser: boolean }): boolean {
  return user.role === Role.SUPERADMIN && user.isSuperuser === true;
}

/**
 * Whether `user` passes the guard for `required` (docs/interop.md §2): the minimum-role rule, plus the
 * superuser flag for SUPERADMIN. `is_superuser` is never consulted for the other roles.
 */
export function satisfiesRole(user: { readonly role: Role; readonly isSuperuser: boolean }, required: Role): boolean {
  if (required === Role.SUPERADMIN) return hasSuperuserPrivileges(user);
  return hasMinimumRole(user.role, required);
}
