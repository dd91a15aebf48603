import { describe, expect, it } from 'vitest';
import { hasMinimumRole, hasSuperuserPrivileges, isRole, Role, ROLES, satisfiesRole, type Role as RoleName } from '@m8/auth';
import { loadVectors } from './helpers/vectors';

const vectors = loadVectors();

describe('roles', () => {
  it('has the five role strings of the contract, lowest first', () => {
    expect(ROLES).toEqual(['user', 'reader', 'writer', 'admin', 'superadmin']);
    expect(Role.SUPERADMIN).toBe('superadmin');
  });

  it.each(vectors.minimum_role_matrix)('minimum_role_matrix: $current_role vs $required_role → $satisfied', (row) => {
    expect(hasMinimumRole(row.current_role as RoleName, row.required_role as RoleName)).toBe(row.satisfied);
  });

  it.each(vectors.role_flag_matrix)('role_flag_matrix: $role + is_superuser=$is_superuser → $has_superuser_privileges', (row) => {
    const user = { role: row.role as RoleName, isSuperuser: row.is_superuser };
    expect(hasSuperuserPrivileges(user)).toBe(row.has_superuser_privileges);
    expect(satisfiesRole(user, Role.SUPERADMIN)).toBe(row.has_superuser_privileges);
  });

  it('ADMIN guard ignores is_superuser', () => {
    expect(satisfiesRole({ role: Role.WRITER, isSuperuser: true }, Role.ADMIN)).toBe(false);
    expect(satisfiesRole({ role: Role.ADMIN, isSuperuser: false }, Role.ADMIN)).toBe(true);
  });

  it('refuses role strings that are not exactly one of the five', () => {
    expect(isRole('Admin')).toBe(false);
    expect(isRole('owner')).toBe(false);
    expect(isRole(undefined)).toBe(false);
    expect(hasMinimumRole('owner' as RoleName, Role.USER)).toBe(false);
  });

  it('types: Role is a string union', () => {
    const role: RoleName = Role.READER;
    // @ts-expect-error not a role
    const wrong: RoleName = 'owner';
    expect([role, wrong]).toHaveLength(2);
  });
});
