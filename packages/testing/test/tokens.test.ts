/** The token factory mints what jose (and the m8 issuer's consumers) accept, and breaks tokens on request. */
import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { TokenFactory } from '../src/tokens';

const SECRET = 'a-test-secret-that-is-at-least-32-chars';
const key = new TextEncoder().encode(SECRET);
const decode = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const rs = TokenFactory.rs256({ kid: 'rs-1' });
const es = TokenFactory.es256({ kid: 'es-1' });

describe('TokenFactory', () => {
  it('HS256: the issuer claim set, verifiable by jose', async () => {
    const tokens = TokenFactory.hs256(SECRET);
    const { payload, protectedHeader } = await jwtVerify(tokens.mint(), key, { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(payload)).toEqual(['sub', 'type', 'email', 'role', 'is_active', 'email_verified', 'is_superuser', 'jti', 'exp']);
    expect(payload).toMatchObject({ type: 'access', role: 'user', is_active: true, email_verified: false, is_superuser: false });
    expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(1790);
  });

  it('RS256 and ES256: verifiable with the PEM and with the JWK, kid in the header', async () => {
    for (const factory of [rs, es]) {
      const token = factory.mint({ role: 'writer' });
      await expect(jwtVerify(token, await importSPKI(factory.publicKeyPem!, factory.algorithm))).resolves.toMatchObject({ payload: { role: 'writer' }, protectedHeader: { alg: factory.algorithm } });
      const jwks = createLocalJWKSet({ keys: [factory.publicJwk!] });
      await expect(jwtVerify(token, jwks)).resolves.toMatchObject({ payload: { role: 'writer' } });
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: factory.algorithm, kid: factory.kid });
      expect(factory.publicJwk).toMatchObject({ use: 'sig', alg: factory.algorithm, kid: factory.kid });
      expect(factory.publicJwk).not.toHaveProperty('d');
    }
  });

  it('overrides replace claims, undefined removes them, header overrides too', () => {
    const tokens = TokenFactory.hs256(SECRET, { issuer: 'iss-1', audience: ['a', 'b'], issuedAt: true });
    const token = tokens.mint({ role: 'admin', email: undefined, extra: 1 }, { header: { kid: 'x', typ: undefined } });
    expect(decode(token)).toMatchObject({ role: 'admin', extra: 1, iss: 'iss-1', aud: ['a', 'b'] });
    expect(decode(token)).not.toHaveProperty('email');
    expect(decode(token).iat).toBe(decode(token).nbf);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: 'x' });
  });

  it('helpers produce tokens jose refuses for the right reason', async () => {
    const tokens = TokenFactory.hs256(SECRET);
    const reason = (token: string): Promise<string> => jwtVerify(token, key, { algorithms: ['HS256'] }).then(() => 'ok', (e: { code: string }) => e.code);
    expect(await reason(tokens.expired(60))).toBe('ERR_JWT_EXPIRED');
    expect(await reason(tokens.notYetValid(60))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await reason(TokenFactory.tamper(tokens.mint(), { role: 'admin' }))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(await reason(tokens.unsigned())).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    expect(decode(tokens.refresh()).type).toBe('refresh');
    expect(decode(tokens.withoutClaim('jti'))).not.toHaveProperty('jti');
    expect(decode(tokens.issuedInFuture(60)).iat).toBeGreaterThan(Math.floor(Date.now() / 1000));
  });

  it('a clock can be injected', () => {
    const tokens = TokenFactory.hs256(SECRET, { now: () => 1_000, expiresInSeconds: 60 });
    expect(tokens.claims().exp).toBe(1_060);
  });

  it('writes the public key to a file for ACCESS_PUBLIC_KEY_FILE', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(rs.writePublicKeyFile(), 'utf8')).toBe(rs.publicKeyPem);
    expect(() => TokenFactory.hs256(SECRET).writePublicKeyFile()).toThrow(/no public key/);
  });
});
