/**
 * Each pre-signature check of the compact JWS reached on its own (a token correctly signed, wrong in exactly one
 * way, so no later check could catch it instead), the claim boundaries at their exact edges, and the
 * verification cache around a key change. Written against the surviving mutants of `npm run mutation`.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { MAX_TOKEN_LENGTH, TokenRejectedError, validateClaims, type UserModel } from '@m8/auth';
import { Hs256Verifier } from '../src/hs256-verifier';
import type { SignatureVerifier } from '../src/signature-verifier';
import { TokenVerifier } from '../src/token-verifier';
import { TokenFactory } from '../../testing/src/tokens';
import { FIXTURE_KEY } from './helpers/app';

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const sign = (signingInput: string): string => createHmac('sha256', Buffer.from(FIXTURE_KEY, 'utf8')).update(signingInput).digest('base64url');
/** A token signed over exactly these header and payload segments, whatever they hold. */
const signed = (header: string, payload: string): string => `${header}.${payload}.${sign(`${header}.${payload}`)}`;

const tokens = TokenFactory.hs256(FIXTURE_KEY);
const HEADER = b64({ alg: 'HS256', typ: 'JWT' });
const payload = (overrides: Record<string, unknown> = {}): string => b64(tokens.claims(overrides as never));
const verifier = (): TokenVerifier => new TokenVerifier(new Hs256Verifier(FIXTURE_KEY), { leewaySeconds: 5, strict: false }, 100);

/** `reason: message` of the rejection, or `accepted`. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenRejectedError) return `${error.reason}: ${error.message}`;
    throw error;
  }
}
const verdict = (token: string): string => outcome(() => verifier().verify(token));

describe('the compact JWS, one check at a time', () => {
  it('control: the well-formed token the cases below each break in one way is accepted', () => {
    expect(verdict(signed(HEADER, payload()))).toBe('accepted');
  });

  it('an empty token', () => {
    expect(verdict('')).toBe('malformed: the token is empty');
  });

  it.each([
    ['two parts', (h: string, p: string) => `${h}.${p}`],
    ['an empty header before the first dot', (_h: string, p: string) => `.${p}.${sign(`.${p}`)}`],
    ['four parts, the first three correctly signed', (h: string, p: string) => `${signed(h, p)}.extra`],
    ['no dot at all', (h: string) => h],
  ])('not three parts: %s', (_, build) => {
    expect(verdict(build(HEADER, payload()))).toBe('malformed: the token is not header.payload.signature');
  });

  it(`exactly ${MAX_TOKEN_LENGTH} characters is accepted, one more is refused before any decoding`, () => {
    const [exact, over] = [MAX_TOKEN_LENGTH, MAX_TOKEN_LENGTH + 1].map(tokenOfLength);
    expect(exact!.length).toBe(8_192);
    expect(verdict(exact!)).toBe('accepted');
    expect(over!.length).toBe(8_193);
    expect(verdict(over!)).toBe('malformed: the token is too long');
  });

  it.each([
    ['a character outside the alphabet first', (segment: string) => `*${segment}`],
    ['a character outside the alphabet last', (segment: string) => `${segment}*`],
    ['padding', (segment: string) => `${segment}=`],
  ])('a header segment with %s (that Node would decode anyway)', (_, spoil) => {
    expect(verdict(signed(spoil(HEADER), payload()))).toBe('malformed: the header is not base64url');
  });

  it.each([
    ['a character outside the alphabet first', (segment: string) => `*${segment}`],
    ['a character outside the alphabet last', (segment: string) => `${segment}*`],
  ])('a payload segment with %s, correctly signed', (_, spoil) => {
    expect(verdict(signed(HEADER, spoil(payload())))).toBe('malformed: the payload is not base64url');
  });

  it('a header that is not JSON', () => {
    expect(verdict(signed(b64('alg=HS256'), payload()))).toBe('malformed: the header is not JSON');
  });

  it.each([
    ['an array', ['HS256']],
    ['a string', 'HS256'],
    ['null', null],
    ['a number', 256],
  ])('a header that is JSON but %s', (_, header) => {
    expect(verdict(signed(b64(JSON.stringify(header)), payload()))).toBe('malformed: the header is not a JSON object');
  });

  it.each([
    ['an array', [1]],
    ['null', null],
  ])('a payload that is JSON but %s, correctly signed', (_, body) => {
    expect(verdict(signed(HEADER, b64(JSON.stringify(body))))).toBe('malformed: the payload is not a JSON object');
  });

  it.each([
    ['a number', 7],
    ['an object', { id: 'k' }],
    ['null', null],
  ])('a kid that is %s', (_, kid) => {
    expect(verdict(signed(b64({ alg: 'HS256', kid }), payload()))).toBe('malformed: "kid" must be a string');
  });

  it('a string kid is fine with HS256', () => {
    expect(verdict(signed(b64({ alg: 'HS256', kid: 'any' }), payload()))).toBe('accepted');
  });

  it('a crit header, and the wrong or no alg', () => {
    expect(verdict(signed(b64({ alg: 'HS256', crit: ['exp'] }), payload()))).toBe('malformed: "crit" header parameters are not supported');
    expect(verdict(signed(b64({ alg: 'HS384' }), payload()))).toBe('wrong_algorithm: "alg" must be HS256');
    expect(verdict(signed(b64({ typ: 'JWT' }), payload()))).toBe('wrong_algorithm: "alg" must be HS256');
  });

  it('a signature one character longer, or shorter, than the real one', () => {
    const good = signed(HEADER, payload());
    expect(verdict(`${good}A`)).toBe('bad_signature: signature verification failed');
    expect(verdict(good.slice(0, -1))).toBe('bad_signature: signature verification failed');
  });
});

/** A valid token of exactly `length` characters: the padding claim and the kid are sized to land on it. */
function tokenOfLength(length: number): string {
  for (let kid = 1; kid < 8; kid += 1) {
    const header = b64({ alg: 'HS256', kid: 'k'.repeat(kid) });
    for (let pad = 5_000; pad < 7_000; pad += 1) {
      const token = signed(header, payload({ full_name: 'x'.repeat(pad) }));
      if (token.length === length) return token;
      if (token.length > length) break;
    }
  }
  throw new Error(`no token of ${length} characters`);
}

describe('claims at their boundaries', () => {
  const NOW = 2_000_000_000;
  const policy = { leewaySeconds: 5, strict: false };
  const check = (overrides: Record<string, unknown>, at = NOW, with_ = policy): string =>
    outcome(() => validateClaims(tokens.claims({ exp: NOW + 600, ...overrides } as never), at, with_));
  const user = (overrides: Record<string, unknown>): UserModel => validateClaims(tokens.claims({ exp: NOW + 600, ...overrides } as never), NOW, policy);

  it('exp: expired exactly at the leeway, accepted one second inside it', () => {
    expect(check({ exp: NOW - 5 })).toBe('expired: "exp" is in the past');
    expect(check({ exp: NOW - 4 })).toBe('accepted');
  });

  it('nbf and iat: accepted exactly at the leeway, refused one second past it', () => {
    expect(check({ nbf: NOW + 5 })).toBe('accepted');
    expect(check({ nbf: NOW + 6 })).toBe('not_yet_valid: "nbf" is in the future');
    expect(check({ iat: NOW + 5 })).toBe('accepted');
    expect(check({ iat: NOW + 6 })).toBe('not_yet_valid: "iat" is in the future');
  });

  it('a fractional NumericDate is refused, whichever claim carries it', () => {
    expect(check({ exp: NOW + 600.5 })).toBe('invalid_claims: "exp" must be an integer');
    expect(check({ nbf: NOW - 0.5 })).toBe('invalid_claims: "nbf" must be an integer');
    expect(check({ iat: NOW - 0.5 })).toBe('invalid_claims: "iat" must be an integer');
    expect(check({ exp: String(NOW + 600) })).toBe('invalid_claims: "exp" must be an integer');
  });

  it('null optional string claims are allowed and read as null', () => {
    const nulls = user({ full_name: null, avatar: null, tenant_id: null });
    expect([nulls.fullName, nulls.avatar, nulls.tenantId]).toEqual([null, null, null]);
    const set = user({ full_name: 'Ada', avatar: 'https://a.example/ada.png', tenant_id: '22222222-2222-4222-8222-222222222222' });
    expect([set.fullName, set.avatar, set.tenantId]).toEqual(['Ada', 'https://a.example/ada.png', '22222222-2222-4222-8222-222222222222']);
    expect(check({ full_name: 7 })).toBe('invalid_claims: "full_name" must be a string or null');
  });

  it('an empty jti, sub or email is refused', () => {
    expect(check({ jti: '' })).toBe('invalid_claims: "jti" must be a non-empty string');
    expect(check({ sub: '' })).toBe('invalid_claims: "sub" must be a non-empty string');
    expect(check({ email: '' })).toBe('invalid_claims: "email" must be a non-empty string');
  });

  it('a UUID with anything before or after it is not a UUID', () => {
    const uuid = '11111111-1111-4111-8111-111111111111';
    expect(check({ sub: uuid.toUpperCase() })).toBe('accepted');
    expect(check({ sub: `x${uuid}` })).toBe('invalid_claims: "sub" must be a UUID');
    expect(check({ sub: `${uuid}x` })).toBe('invalid_claims: "sub" must be a UUID');
    expect(check({ tenant_id: `x${uuid}` })).toBe('invalid_claims: "tenant_id" must be a UUID');
    expect(check({ tenant_id: `${uuid}0` })).toBe('invalid_claims: "tenant_id" must be a UUID');
  });

  it('emails: a domain of several dots is fine, the 320-character limit is exact, case and spaces are normalised', () => {
    expect(user({ email: 'ada@mail.example.co.uk' }).email).toBe('ada@mail.example.co.uk');
    expect(user({ email: '  Ada@Example.COM ' }).email).toBe('ada@example.com');
    const domain = '@example.com';
    expect(user({ email: `${'a'.repeat(320 - domain.length)}${domain}` }).email).toHaveLength(320);
    expect(check({ email: `${'a'.repeat(321 - domain.length)}${domain}` })).toBe('invalid_claims: "email" is not an email address');
    for (const email of ['ada@example', 'ada@.example.com', 'ada@example.com.', 'a da@example.com', 'ada@@example.com', 'xada@example.com@', '@example.com']) {
      expect([email, check({ email })]).toEqual([email, 'invalid_claims: "email" is not an email address']);
    }
  });
});

describe('TokenVerifier around a key change (clearCache)', () => {
  /** A signature check that completes only when the test says so. */
  class HeldSignature implements SignatureVerifier {
    release!: () => void;
    verify(token: string): Promise<Record<string, unknown>> {
      const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      return new Promise((resolve) => (this.release = () => resolve(payload)));
    }
  }

  it('a verification that straddles clearCache() is answered but not cached under the new keys', async () => {
    const signature = new HeldSignature();
    const verifier = new TokenVerifier(signature, { leewaySeconds: 5, strict: false }, 100);
    const token = tokens.mint();
    const pending = verifier.verify(token);
    verifier.clearCache(); // the key set changed while the signature was being checked
    signature.release();
    await expect(pending).resolves.toMatchObject({ email: 'user@example.com' });
    expect(verifier.cacheSize).toBe(0);
  });

  it('a verification that starts after clearCache() is cached as usual', async () => {
    const signature = new HeldSignature();
    const verifier = new TokenVerifier(signature, { leewaySeconds: 5, strict: false }, 100);
    verifier.clearCache();
    const token = tokens.mint();
    for (let i = 0; i < 2; i++) {
      const pending = verifier.verify(token); // stored on its second verification
      signature.release();
      await pending;
    }
    expect(verifier.cacheSize).toBe(1);
  });

  it('clearCache() empties the cache: the next verify checks the signature again', () => {
    const hs = new Hs256Verifier(FIXTURE_KEY);
    const spy = vi.spyOn(hs, 'verify');
    const verifier = new TokenVerifier(hs, { leewaySeconds: 5, strict: false }, 100);
    const token = tokens.mint();
    for (let i = 0; i < 3; i++) verifier.verify(token);
    expect(spy).toHaveBeenCalledTimes(2); // stored on its second verification
    verifier.clearCache();
    expect(verifier.cacheSize).toBe(0);
    verifier.verify(token);
    expect(spy).toHaveBeenCalledTimes(3);
  });
});
