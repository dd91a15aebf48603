/** The 10 canonical HS256 tokens of the contract vectors against every guard, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMinimumRole, Role, type Role as RoleName } from '@m8/auth';
import { call, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVectors, VECTORS_FILE } from './helpers/vectors';

const vectors = loadVectors();
const { tokens, trusted_test_signing_key: key, algorithm } = vectors.canonical_jwt_fixtures;
const flags = new Map(vectors.role_flag_matrix.map((row) => [`${row.role}/${row.is_superuser}`, row.has_superuser_privileges]));
const minimum = new Map(vectors.minimum_role_matrix.map((row) => [`${row.current_role}>=${row.required_role}`, row.satisfied]));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp([GuardController], { ACCESS_SECRET_KEY: key, ACCESS_TOKEN_ALGORITHM: algorithm });
});
afterAll(() => t.close());

const guarded = [Role.USER, Role.READER, Role.WRITER, Role.ADMIN] as const;

describe.each(tokens)('canonical token role=$role is_superuser=$is_superuser', (token) => {
  it('passes the plain guard and exposes its claims', async () => {
    const answer = await call(`${t.url}/guards/any`, { token: token.jwt });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: '55555555-5555-4555-8555-555555555555',
      email: 'fixture-user@example.com',
      role: token.role,
      isSuperuser: token.is_superuser,
      isActive: true,
      emailVerified: true,
      jti: `fixture-${token.role}-${token.is_superuser ? 'True' : 'False'}`,
      exp: 4102444800,
    });
  });

  it.each(guarded)('minimum-role guard %s follows minimum_role_matrix', async (required) => {
    const expected = minimum.get(`${token.role}>=${required}`);
    expect(expected).toBe(hasMinimumRole(token.role as RoleName, required));
    const answer = await call(`${t.url}/guards/${required}`, { token: token.jwt });
    if (expected) {
      expect(answer.status).toBe(200);
    } else {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ detail: "The user doesn't have enough privileges" });
      expect(answer.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('SUPERADMIN guard follows role_flag_matrix (role and flag both)', async () => {
    const expected = flags.get(`${token.role}/${token.is_superuser}`);
    const answer = await call(`${t.url}/guards/superadmin`, { token: token.jwt });
    expect(answer.status).toBe(expected ? 200 : 403);
  });
});

describe('vectors sanity', () => {
  it('are the published file, unchanged (its own SHA-256 checks out)', () => {
    expect(vectors.checksum_sha256).toBe('90305e48a5c786c714b615a6206e960cad2ff453cfed2edb8ba030d1a91619e7');
  });

  it('an edited copy is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm8-vectors-'));
    try {
      const edited = join(dir, 'authorization_matrix.json');
      writeFileSync(edited, readFileSync(VECTORS_FILE, 'utf8').replace('"satisfied": true', '"satisfied": false'));
      expect(() => loadVectors(edited)).toThrow(/checksum_sha256 is 90305e48.* but the content hashes to [0-9a-f]{64}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('covers every role with and without the flag', () => {
    expect(tokens).toHaveLength(10);
    expect(new Set(tokens.map((token) => `${token.role}/${token.is_superuser}`)).size).toBe(10);
  });

  it('a canonical token is refused under another key', async () => {
    const other = await startTestApp([GuardController], { ACCESS_SECRET_KEY: 'another-secret-that-is-long-enough-1234567' });
    try {
      const answer = await call(`${other.url}/guards/any`, { token: tokens[0]!.jwt });
      expect(answer.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('several roles in one guard admit any of them', async () => {
    const reader = tokens.find((token) => token.role === 'reader')!;
    const user = tokens.find((token) => token.role === 'user')!;
    expect((await call(`${t.url}/guards/admin-or-reader`, { token: reader.jwt })).status).toBe(200);
    expect((await call(`${t.url}/guards/admin-or-reader`, { token: user.jwt })).status).toBe(403);
  });

  it('a guard naming no role is a 500 (a programming error), never a pass', async () => {
    const answer = await call(`${t.url}/guards/misnamed-role`, { token: tokens[0]!.jwt });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ detail: 'Internal Server Error' });
  });
});
