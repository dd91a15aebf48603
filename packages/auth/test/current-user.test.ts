/** One validation per request however many guards and injections, and CURRENT_USER through DI. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenFactory } from '../../testing/src/tokens';
import { startFakeIssuer, type FakeIssuer } from '../../testing/src/fake-issuer';
import { TokenVerifier } from '../src/token-verifier';
import { call, FIXTURE_KEY, startTestApp, type TestApp } from './helpers/app';
import { GuardController, ProfileController, UnguardedProfileController } from './helpers/controllers';

const tokens = TokenFactory.hs256(FIXTURE_KEY);
const SECRET = 'internal-secret-for-tests';

let issuer: FakeIssuer;
let t: TestApp;
beforeAll(async () => {
  issuer = await startFakeIssuer({ secret: SECRET });
  // Stateful and without the verification cache: every validation would show as a verify() and an issuer call.
  t = await startTestApp(
    [GuardController, ProfileController, UnguardedProfileController],
    { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: issuer.url, PRIVATE_API_SECRET: SECRET },
    { verificationCacheSize: 0 },
  );
});
afterAll(async () => {
  await t.close();
  await issuer.close();
});

describe('once per request', () => {
  it('guard + @CurrentUser + a service injecting CURRENT_USER → one verification, one revocation call', async () => {
    const verify = vi.spyOn(TokenVerifier.prototype, 'verify');
    issuer.reset();
    const token = tokens.mint({ role: 'admin', email: 'Boss@Example.com' });
    const answer = await call(`${t.url}/profile/`, { token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ fromService: 'boss@example.com', same: true });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(issuer.calls).toBe(1);
    verify.mockRestore();
  });

  it('two @CurrentUser parameters without a guard → one verification, the same object', async () => {
    const verify = vi.spyOn(TokenVerifier.prototype, 'verify');
    issuer.reset();
    const answer = await call(`${t.url}/guards/me-twice`, { token: tokens.mint() });
    expect(answer.body).toMatchObject({ same: true });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(issuer.calls).toBe(1);
    verify.mockRestore();
  });

  it('a failure is also decided once: one auth.failure event per refused request', async () => {
    const before = t.events.length;
    const answer = await call(`${t.url}/guards/me-twice`, { token: tokens.expired() });
    expect(answer.status).toBe(401);
    expect(t.events.slice(before).filter((e) => e.name === 'auth.failure')).toEqual([{ name: 'auth.failure', event: { reason: 'expired' } }]);
  });

  it('the next request validates again (nothing leaks between requests)', async () => {
    const token = tokens.mint();
    await call(`${t.url}/guards/any`, { token });
    issuer.reset();
    await call(`${t.url}/guards/any`, { token });
    expect(issuer.calls).toBe(1);
  });
});

describe('@CurrentUser() acts as the plain guard', () => {
  it('without a token → 401 Not authenticated', async () => {
    const answer = await call(`${t.url}/guards/me-twice`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ detail: 'Not authenticated' });
  });

  it('a public route stays public', async () => {
    expect((await call(`${t.url}/guards/public`)).status).toBe(200);
  });
});

describe('CURRENT_USER outside an authenticated route', () => {
  it('is a 500 with the reason in the log, not an anonymous user', async () => {
    const answer = await call(`${t.url}/unguarded-profile/`, { token: tokens.mint() });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ detail: 'Internal Server Error' });
    expect(JSON.stringify(t.logs)).toContain('CURRENT_USER was resolved before the request was authenticated');
  });
});
