/** The Python stack's token and role vectors (docs/interop.md §1, §2). */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CanonicalToken {
  readonly role: string;
  readonly is_superuser: boolean;
  readonly consistent: boolean;
  readonly jwt: string;
}

export interface AuthorizationMatrix {
  readonly canonical_jwt_fixtures: { readonly algorithm: string; readonly trusted_test_signing_key: string; readonly tokens: readonly CanonicalToken[] };
  readonly minimum_role_matrix: readonly { current_role: string; required_role: string; satisfied: boolean }[];
  readonly role_flag_matrix: readonly { role: string; is_superuser: boolean; has_superuser_privileges: boolean; consistent: boolean }[];
  readonly jti_status_fixtures: {
    readonly v1: { request: { jti: string }; active: unknown; inactive: unknown };
    readonly v2: { request: Record<string, string>; active: Record<string, unknown>; inactive: unknown; subject_mismatch_request: Record<string, string> };
  };
}

const CANDIDATES = [
  process.env.M8_VECTORS_FILE,
  resolve(__dirname, '../../../../../shared/vectors/authorization_matrix.json'),
  '/work/shared/vectors/authorization_matrix.json',
].filter((path): path is string => typeof path === 'string');

export function loadVectors(): AuthorizationMatrix {
  const path = CANDIDATES.find((candidate) => existsSync(candidate));
  if (path === undefined) throw new Error(`authorization_matrix.json not found; looked in ${CANDIDATES.join(', ')}`);
  return JSON.parse(readFileSync(path, 'utf8')) as AuthorizationMatrix;
}
