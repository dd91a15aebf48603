/** At LOG_LEVEL=debug each refused token logs its reason code and the claim at fault, never the token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFactory } from '../../testing/src/tokens';
import { call, FIXTURE_KEY, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

const AUD = 'items-service';

describe('the debug line of a refused token', () => {
  const tokens = TokenFactory.hs256(FIXTURE_KEY, { audience: AUD });
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp([GuardController], { TOKEN_AUDIENCE: AUD, LOG_LEVEL: 'debug' });
  });
  afterAll(() => t.close());

  const rejectedLines = (): Record<string, unknown>[] => t.logs.filter((l) => l.event === 'token_rejected');

  it.each([
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }, 'expired', 'exp'],
    ['a wrong audience', { aud: 'billing-service' }, 'invalid_claims', 'aud'],
    ['a non-boolean is_superuser', { is_superuser: 'yes' } as never, 'invalid_claims', 'is_superuser'],
  ])('%s: reason and claim', async (_, overrides, reason, claim) => {
    const before = rejectedLines().length;
    const token = tokens.mint(overrides);
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(401);
    const added = rejectedLines().slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ level: 'debug', event: 'token_rejected', reason, claim, msg: 'token rejected' });
    expect(JSON.stringify(t.logs)).not.toContain(token);
    expect(JSON.stringify(t.logs)).not.toContain(token.split('.')[2]!);
  });

  it('a bad signature has no claim at fault', async () => {
    const before = rejectedLines().length;
    const token = TokenFactory.hs256('another-key-another-key-another-key-42', { audience: AUD }).mint();
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(401);
    const added = rejectedLines().slice(before);
    expect(added).toEqual([expect.objectContaining({ reason: 'bad_signature' })]);
    expect(added[0]).not.toHaveProperty('claim');
  });

  it('logs nothing of the kind above debug', async () => {
    const quiet = await startTestApp([GuardController], { TOKEN_AUDIENCE: AUD, LOG_LEVEL: 'info' });
    try {
      expect((await call(`${quiet.url}/guards/any`, { token: tokens.mint({ aud: 'x' }) })).status).toBe(401);
      expect(quiet.logs.filter((l) => l.event === 'token_rejected')).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
