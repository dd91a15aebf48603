/** Every way a token can be wrong, each answered with the contract status (docs/interop.md §3), never a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFactory, type ClaimOverrides } from '../../testing/src/tokens';

/** Claims of the wrong type, on purpose: what a broken or hostile issuer could send. */
const wrongTypes = (claims: Record<string, unknown>): ClaimOverrides => claims as ClaimOverrides;
import { call, FIXTURE_KEY, INVALID, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

const tokens = TokenFactory.hs256(FIXTURE_KEY);
const now = (): number => Math.floor(Date.now() / 1000);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp([GuardController]);
});
afterAll(() => t.close());

async function expectInvalid(token: string, reason?: string): Promise<void> {
  const before = t.events.length;
  const answer = await call(`${t.url}/guards/any`, { token });
  expect(answer.status).toBe(INVALID.status);
  expect(answer.body).toEqual(INVALID.body);
  expect(answer.headers.get('www-authenticate')).toBe(INVALID.challenge);
  const failures = t.events.slice(before).filter((e) => e.name === 'auth.failure');
  expect(failures).toHaveLength(1);
  if (reason) expect(failures[0]!.event).toEqual({ reason });
}

describe('missing or non-Bearer credentials', () => {
  it.each([
    ['no Authorization header', undefined],
    ['Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare token without a scheme', tokens.mint()],
    ['Bearer glued to the token', `Bearer${tokens.mint()}`],
    ['an empty header', ''],
  ])('%s → 401 Not authenticated with the Bearer challenge', async (_, authorization) => {
    const answer = await call(`${t.url}/guards/any`, authorization === undefined ? {} : { authorization });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ detail: 'Not authenticated' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(t.events.at(-1)).toEqual({ name: 'auth.failure', event: { reason: 'missing' } });
  });

  it('the role guards answer 401 too, not routing-controllers 403', async () => {
    for (const path of ['admin', 'superadmin', 'writer']) {
      const answer = await call(`${t.url}/guards/${path}`);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ detail: 'Not authenticated' });
    }
  });

  it('the scheme is case-insensitive', async () => {
    expect((await call(`${t.url}/guards/any`, { authorization: `bearer ${tokens.mint()}` })).status).toBe(200);
    expect((await call(`${t.url}/guards/any`, { authorization: `BEARER ${tokens.mint()}` })).status).toBe(200);
  });
});

describe('invalid tokens → 401 Could not validate credentials.', () => {
  it.each([
    ['empty bearer token', 'Bearer ', 'malformed'],
    ['blank bearer token', 'Bearer    ', 'malformed'],
  ])('%s', async (_, authorization, reason) => {
    const answer = await call(`${t.url}/guards/any`, { authorization });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID.body);
    expect(t.events.at(-1)).toEqual({ name: 'auth.failure', event: { reason } });
  });

  it('alg none', () => expectInvalid(tokens.unsigned(), 'wrong_algorithm'));
  it('alg none with a copied valid signature', () => {
    const valid = tokens.mint();
    const [, payload, signature] = valid.split('.');
    return expectInvalid(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`, 'wrong_algorithm');
  });
  it('another algorithm label (HS512) over the right key', () => expectInvalid(tokens.mint({}, { header: { alg: 'HS512' } }), 'wrong_algorithm'));
  it('RS256 label on an HS256 service', () => expectInvalid(TokenFactory.rs256().mint(), 'wrong_algorithm'));
  it('tampered payload with the original signature', () =>
    expectInvalid(TokenFactory.tamper(tokens.mint({ role: 'user' }), { role: 'superadmin', is_superuser: true }), 'bad_signature'));
  it('signed with another key', () => expectInvalid(TokenFactory.hs256('x'.repeat(40)).mint(), 'bad_signature'));
  it('signature of another token', () => {
    const [header, payload] = tokens.mint().split('.');
    const [, , signature] = tokens.mint().split('.');
    return expectInvalid(`${header}.${payload}.${signature}`, 'bad_signature');
  });
  it('signature with a non-ASCII look-alike character', () => {
    const token = tokens.mint();
    const last = token.at(-1)!;
    // Over HTTP a header byte ≥ 0x80 arrives as a latin1 character; it must not fold onto ASCII.
    return expectInvalid(token.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 0x80), 'bad_signature');
  });
  it('unknown crit header', () => expectInvalid(tokens.mint({}, { header: { crit: ['exp'] } }), 'malformed'));
  it('expired beyond the 5 s leeway', () => expectInvalid(tokens.expired(10), 'expired'));
  it('nbf in the future', () => expectInvalid(tokens.notYetValid(60), 'not_yet_valid'));
  it('iat in the future', () => expectInvalid(tokens.issuedInFuture(60), 'not_yet_valid'));
  it.each(['sub', 'type', 'jti', 'exp', 'email'])('required claim %s missing', (claim) => expectInvalid(tokens.withoutClaim(claim), 'invalid_claims'));
  it('type refresh', () => expectInvalid(tokens.refresh(), 'invalid_claims'));
  it('unknown role string', () => expectInvalid(tokens.mint({ role: 'owner' }), 'invalid_claims'));
  it('role in another case', () => expectInvalid(tokens.mint({ role: 'Admin' }), 'invalid_claims'));
  it('non-UUID sub', () => expectInvalid(tokens.mint({ sub: 'user-42' }), 'invalid_claims'));
  it('numeric sub', () => expectInvalid(tokens.mint(wrongTypes({ sub: 42 })), 'invalid_claims'));
  it('email that is not an email', () => expectInvalid(tokens.mint({ email: 'not-an-email' }), 'invalid_claims'));
  it('exp as a string', () => expectInvalid(tokens.mint(wrongTypes({ exp: String(now() + 600) })), 'invalid_claims'));
  it('is_active as a string', () => expectInvalid(tokens.mint(wrongTypes({ is_active: 'false' })), 'invalid_claims'));
  it('is_superuser as a number', () => expectInvalid(tokens.mint(wrongTypes({ is_superuser: 1 })), 'invalid_claims'));
  it('non-UUID tenant_id', () => expectInvalid(tokens.mint({ tenant_id: 'acme' }), 'invalid_claims'));
  it('payload that is a JSON array', () => expectInvalid(tokens.mint('[1,2]'), 'malformed'));
  it('payload that is not JSON', () => expectInvalid(tokens.mint('not json'), 'malformed'));
  it.each([
    ['garbage', 'garbage'],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['empty parts', '..'],
    ['header not base64url', '!!!.e30.sig'],
    ['header not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`],
  ])('%s', (_, token) => expectInvalid(token, 'malformed'));
  it('a 10 KB token (under the header limit) is refused before decoding', () => expectInvalid(`${'a'.repeat(10_000)}.b.c`, 'malformed'));
});

describe('what is accepted', () => {
  it('expired within the 5 s leeway', async () => {
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({ exp: now() - 2 }) })).status).toBe(200);
  });

  it('nbf within the leeway', async () => {
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({ nbf: now() + 2, iat: now() + 2 }) })).status).toBe(200);
  });

  it('the minimal payload, with the contract defaults applied and the email normalised', async () => {
    const minimal = { sub: '0b5a2a36-5d6f-4c65-9f1c-6f1b9b0b7e01', type: 'access', jti: 'j-1', exp: now() + 600, email: '  A@B.Co ' };
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint(JSON.stringify(minimal)) });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: minimal.sub,
      sub: minimal.sub,
      email: 'a@b.co',
      fullName: null,
      avatar: null,
      isActive: true,
      emailVerified: false,
      isSuperuser: false,
      role: 'user',
      tenantId: null,
      jti: 'j-1',
      exp: minimal.exp,
    });
  });

  it('a kid header is ignored with a static key (even a path-like one)', async () => {
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({}, { header: { kid: '../../etc/passwd' } }) })).status).toBe(200);
  });

  it('iss and aud are ignored when not configured', async () => {
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({ iss: 'elsewhere', aud: 'someone' }) })).status).toBe(200);
  });

  it('full_name, avatar and tenant_id come through', async () => {
    const tenant = '7b0e4a4e-5a43-4a6e-8d4c-1f6f0e1c2b3a';
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint({ full_name: 'Ada L', avatar: 'https://x/a.png', tenant_id: tenant }) });
    expect(answer.body).toMatchObject({ fullName: 'Ada L', avatar: 'https://x/a.png', tenantId: tenant });
  });
});

describe('inactive user', () => {
  it('is_active false → 403 Inactive user, no challenge', async () => {
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint({ is_active: false, role: 'superadmin' }) });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ detail: 'Inactive user' });
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(t.events.at(-1)).toEqual({ name: 'auth.failure', event: { reason: 'inactive' } });
  });

  it('is_active is checked before the role (inactive writer on an admin route → Inactive user)', async () => {
    const answer = await call(`${t.url}/guards/admin`, { token: tokens.mint({ is_active: false, role: 'writer' }) });
    expect(answer.body).toEqual({ detail: 'Inactive user' });
  });
});

describe('oversized tokens', () => {
  it('a 100 KB token is refused quickly by Node itself (431)', async () => {
    const answer = await call(`${t.url}/guards/any`, { token: 'a'.repeat(100 * 1024) });
    expect(answer.status).toBe(431);
    expect(answer.ms).toBeLessThan(1000);
  });
});

describe('the app never answers 500 for a token', () => {
  it('a batch of random junk', async () => {
    const junk = ['.', 'a.', '.a', 'e30.e30.', 'e30.e30.e30', `${b64({ alg: 'HS256' })}.${b64(null)}.x`, `${b64([])}.e30.x`, `${b64({ alg: 'HS256', kid: 5 })}.e30.x`];
    for (const token of junk) {
      const answer = await call(`${t.url}/guards/any`, { token });
      expect(answer.status, token).toBe(401);
    }
  });
});
