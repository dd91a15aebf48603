/** `TOKEN_ISSUER` / `TOKEN_AUDIENCE` when configured, and the strict profile (docs/interop.md §1). */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenFactory, type ClaimOverrides } from '../../testing/src/tokens';
import { call, FIXTURE_KEY, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

const now = (): number => Math.floor(Date.now() / 1000);
const ISS = 'https://auth.example.com';
const AUD = 'items-service';

describe('iss and aud configured', () => {
  const tokens = TokenFactory.hs256(FIXTURE_KEY, { issuer: ISS, audience: AUD });
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp([GuardController], { TOKEN_ISSUER: ISS, TOKEN_AUDIENCE: AUD });
  });
  afterAll(() => t.close());

  const status = async (token: string): Promise<number> => (await call(`${t.url}/guards/any`, { token })).status;

  it('accepts the exact iss and aud, aud as a string or in an array', async () => {
    expect(await status(tokens.mint())).toBe(200);
    expect(await status(tokens.mint({ aud: ['other', AUD] }))).toBe(200);
  });

  it.each([
    ['wrong iss', { iss: 'https://evil.example.com' }],
    ['iss with a trailing slash', { iss: `${ISS}/` }],
    ['missing iss', { iss: undefined }],
    ['wrong aud', { aud: 'billing-service' }],
    ['aud array without ours', { aud: ['a', 'b'] }],
    ['missing aud', { aud: undefined }],
    ['aud of the wrong type', { aud: 42 } as Record<string, unknown> as ClaimOverrides],
  ] as [string, ClaimOverrides][])('refuses %s', async (_, overrides) => {
    expect(await status(tokens.mint(overrides))).toBe(401);
  });

  it('iat/nbf stay optional outside the strict profile', async () => {
    expect(await status(tokens.mint({ iat: undefined, nbf: undefined }))).toBe(200);
  });
});

describe('strict profile (TOKEN_STRICT_VALIDATION=true)', () => {
  const tokens = TokenFactory.hs256(FIXTURE_KEY, { issuer: ISS, audience: AUD, issuedAt: true });
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp([GuardController], { TOKEN_ISSUER: ISS, TOKEN_AUDIENCE: AUD, TOKEN_STRICT_VALIDATION: true });
  });
  afterAll(() => t.close());

  const status = async (token: string): Promise<number> => (await call(`${t.url}/guards/any`, { token })).status;

  it('accepts a complete token', async () => {
    expect(await status(tokens.mint())).toBe(200);
  });

  it.each(['iss', 'aud', 'iat', 'nbf'])('requires %s', async (claim) => {
    expect(await status(tokens.withoutClaim(claim))).toBe(401);
  });

  it('uses a 2 s leeway: 4 s past exp is refused (5 s would accept it)', async () => {
    expect(await status(tokens.mint({ exp: now() - 4 }))).toBe(401);
    expect(await status(tokens.mint({ exp: now() + 30 }))).toBe(200);
  });

  it('accepts a token inside the 2 s leeway, and refuses one at its edge (the clock held still)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2031-05-04T12:00:00.500Z'));
      const held = now();
      expect(await status(tokens.mint({ exp: held - 1 }))).toBe(200); // 1 s past exp: inside the leeway
      expect(await status(tokens.mint({ exp: held - 2 }))).toBe(401); // 2 s past: at the edge, expired
      expect(await status(tokens.mint({ nbf: held + 2 }))).toBe(200);
      expect(await status(tokens.mint({ nbf: held + 3 }))).toBe(401);
      expect(await status(tokens.mint({ iat: held + 2 }))).toBe(200);
      expect(await status(tokens.mint({ iat: held + 3 }))).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('nbf 4 s ahead is refused in strict mode', async () => {
    expect(await status(tokens.mint({ nbf: now() + 4 }))).toBe(401);
  });
});
