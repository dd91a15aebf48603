/** The Python stack's token and role vectors (docs/interop.md §1, §2), kept in this repository with their licence and origin (../vectors/README.md). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CanonicalToken {
  readonly role: string;
  readonly is_superuser: boolean;
  readonly consistent: boolean;
  readonly jwt: string;
}

export interface AuthorizationMatrix {
  readonly checksum_sha256: string;
  readonly canonical_jwt_fixtures: { readonly algorithm: string; readonly trusted_test_signing_key: string; readonly tokens: readonly CanonicalToken[] };
  readonly minimum_role_matrix: readonly { current_role: string; required_role: string; satisfied: boolean }[];
  readonly role_flag_matrix: readonly { role: string; is_superuser: boolean; has_superuser_privileges: boolean; consistent: boolean }[];
  readonly jti_status_fixtures: {
    readonly v1: { request: { jti: string }; active: unknown; inactive: unknown };
    readonly v2: { request: Record<string, string>; active: Record<string, unknown>; inactive: unknown; subject_mismatch_request: Record<string, string> };
  };
}

export const VECTORS_FILE = resolve(__dirname, '../vectors/authorization_matrix.json');

/** JSON with object keys sorted at every level and no spaces: the form the checksum is computed over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The SHA-256 the vectors declare for themselves: the body without `checksum_sha256`, in canonical form. */
export function vectorsChecksum(matrix: Record<string, unknown>): string {
  const { checksum_sha256: _declared, ...body } = matrix;
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function loadVectors(path: string = VECTORS_FILE): AuthorizationMatrix {
  const matrix = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const actual = vectorsChecksum(matrix);
  if (actual !== matrix.checksum_sha256) {
    throw new Error(`${path}: checksum_sha256 is ${String(matrix.checksum_sha256)} but the content hashes to ${actual}; copy the file unchanged`);
  }
  return matrix as unknown as AuthorizationMatrix;
}
