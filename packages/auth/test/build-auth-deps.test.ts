/** `buildAuthDeps` input checks, the plugin shape, and verification outside HTTP. */
import { describe, expect, it } from 'vitest';
import { AUTH_DEFAULTS, AuthConfigError, buildAuthDeps, TokenRejectedError } from '@m8/auth';
import { TokenFactory } from '../../testing/src/tokens';
import { FIXTURE_KEY, loadTestSettings } from './helpers/app';

describe('buildAuthDeps', () => {
  it('is the auth plugin, named auth, with its package', () => {
    const auth = buildAuthDeps(loadTestSettings());
    expect(auth.name).toBe('auth');
    expect(auth.package).toEqual({ name: '@m8/auth', version: expect.stringMatching(/^\d+\.\d+\.\d+/), path: expect.stringMatching(/packages\/auth$/) });
  });

  it('reports every bad option at once', () => {
    let error: unknown;
    try {
      buildAuthDeps(loadTestSettings(), { verificationCacheSize: -1, revocationTimeoutMs: 0, jwksCooldownMs: 1.5 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).code).toBe('ERR_M8_AUTH_CONFIG');
    expect((error as AuthConfigError).problems).toHaveLength(3);
  });

  it('defaults follow the contract timeouts', () => {
    expect(AUTH_DEFAULTS).toMatchObject({ revocationConnectTimeoutMs: 2_000, revocationTimeoutMs: 3_000, jwksCooldownMs: 10_000 });
  });

  it('verifyToken checks signature and claims outside HTTP', async () => {
    const auth = buildAuthDeps(loadTestSettings());
    const tokens = TokenFactory.hs256(FIXTURE_KEY);
    await expect(auth.verifyToken(tokens.mint({ role: 'reader' }))).resolves.toMatchObject({ role: 'reader' });
    await expect(auth.verifyToken(tokens.refresh())).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(auth.verifyToken(tokens.refresh())).rejects.toMatchObject({ code: 'ERR_M8_JWT_CLAIM_INVALID', reason: 'invalid_claims' });
    await auth.close();
  });

  it('close() is safe without a revocation client', async () => {
    await expect(buildAuthDeps(loadTestSettings()).close()).resolves.toBeUndefined();
  });
});
