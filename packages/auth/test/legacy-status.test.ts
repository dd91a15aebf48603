/** INVALID_TOKEN_STATUS=403: the Python stack's legacy answers (docs/interop.md §3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFactory } from '../../testing/src/tokens';
import { call, FIXTURE_KEY, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

const tokens = TokenFactory.hs256(FIXTURE_KEY);
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp([GuardController], { INVALID_TOKEN_STATUS: '403' });
});
afterAll(() => t.close());

describe('legacy 403 switch', () => {
  it.each([
    ['expired', tokens.expired()],
    ['bad signature', TokenFactory.hs256('z'.repeat(40)).mint()],
    ['garbage', 'garbage'],
  ])('%s → 403 with the same detail and no WWW-Authenticate', async (_, token) => {
    const answer = await call(`${t.url}/guards/any`, { token });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ detail: 'Could not validate credentials.' });
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });

  it('a missing token is still 401 Not authenticated with the Bearer challenge', async () => {
    const answer = await call(`${t.url}/guards/any`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ detail: 'Not authenticated' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('valid tokens are unaffected', async () => {
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint() })).status).toBe(200);
  });
});
