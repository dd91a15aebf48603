/** The verifier on its own: the exact-token cache's safety rules, and HS256 fast path ≡ jose. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jwtVerify } from 'jose';
import { TokenRejectedError, validateClaims, type UserModel } from '@m8/auth';
import { Hs256Verifier } from '../src/hs256-verifier';
import { TokenVerifier } from '../src/token-verifier';
import { VerificationCache } from '../src/verification-cache';
import { TokenFactory } from '../../testing/src/tokens';
import { FIXTURE_KEY } from './helpers/app';

const policy = { leewaySeconds: 5, strict: false };
const tokens = TokenFactory.hs256(FIXTURE_KEY);

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof TokenRejectedError) return error.reason;
    throw error;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

/** Offers `token` until it is stored (the cache admits a token on its second verification). */
function store(cache: VerificationCache, token: string, user: UserModel): void {
  if (!cache.offer(token, user)) expect(cache.offer(token, user)).toBe(true);
}

describe('verification cache', () => {
  it('a cached token that has expired since is refused (exp re-checked on every hit)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const nowSec = Math.floor(Date.now() / 1000);
    const verifier = new TokenVerifier(new Hs256Verifier(FIXTURE_KEY), policy, 100);
    const token = tokens.mint({ exp: nowSec + 60 });
    expect(verifier.verify(token)).toMatchObject({ exp: nowSec + 60 });
    expect(verifier.verify(token)).toMatchObject({ exp: nowSec + 60 }); // admitted on its second verification
    expect(verifier.cacheSize).toBe(1);
    vi.setSystemTime((nowSec + 64) * 1000); // within the leeway: still good, from the cache
    expect(verifier.verify(token)).toMatchObject({ exp: nowSec + 60 });
    vi.setSystemTime((nowSec + 66) * 1000);
    expect(reasonOf(() => verifier.verify(token))).toBe('expired');
    expect(verifier.cacheSize).toBe(0);
  });

  it('never stores a token that failed any check, so a repeat is re-verified and refused again', () => {
    const signature = new Hs256Verifier(FIXTURE_KEY);
    const spy = vi.spyOn(signature, 'verify');
    const verifier = new TokenVerifier(signature, policy, 100);
    const bad = tokens.mint({ type: 'refresh' });
    expect(reasonOf(() => verifier.verify(bad))).toBe('invalid_claims');
    expect(reasonOf(() => verifier.verify(bad))).toBe('invalid_claims');
    expect(spy).toHaveBeenCalledTimes(2);
    expect(verifier.cacheSize).toBe(0);
  });

  it('a hit skips the signature; a one-character change is another token, fully verified', () => {
    const signature = new Hs256Verifier(FIXTURE_KEY);
    const spy = vi.spyOn(signature, 'verify');
    const verifier = new TokenVerifier(signature, policy, 100);
    const token = tokens.mint();
    verifier.verify(token);
    verifier.verify(token); // verified again, and now stored
    verifier.verify(token);
    verifier.verify(token);
    expect(spy).toHaveBeenCalledTimes(2);
    // Same signature (the cache's lookup key), another payload: not a hit, and refused.
    const tampered = TokenFactory.tamper(token, { role: 'admin' });
    expect(reasonOf(() => verifier.verify(tampered))).toBe('bad_signature');
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('a token is stored on its second verification, not its first', () => {
    const verifier = new TokenVerifier(new Hs256Verifier(FIXTURE_KEY), policy, 100);
    const token = tokens.mint();
    verifier.verify(token);
    expect(verifier.cacheSize).toBe(0);
    verifier.verify(token);
    expect(verifier.cacheSize).toBe(1);
  });

  it('tokens used once are not stored (but for the rare hash collision, at most 1 in 16)', () => {
    const verifier = new TokenVerifier(new Hs256Verifier(FIXTURE_KEY), policy, 1000);
    for (let i = 0; i < 500; i++) verifier.verify(tokens.mint());
    expect(verifier.cacheSize).toBeLessThanOrEqual(500 / 8); // expected ≈ 4; the bound is far out
  });

  it('is bounded and evicts the least recently used token', () => {
    const cache = new VerificationCache(2);
    const user = validateClaims(tokens.claims(), Math.floor(Date.now() / 1000), policy);
    store(cache, 'a', user);
    store(cache, 'b', user);
    cache.get('a'); // a is now the young one
    store(cache, 'c', user);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(user);
  });

  it('size 0 turns it off', () => {
    const signature = new Hs256Verifier(FIXTURE_KEY);
    const spy = vi.spyOn(signature, 'verify');
    const verifier = new TokenVerifier(signature, policy, 0);
    const token = tokens.mint();
    verifier.verify(token);
    verifier.verify(token);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('returns a frozen user shared by every hit', () => {
    const verifier = new TokenVerifier(new Hs256Verifier(FIXTURE_KEY), policy, 10);
    const token = tokens.mint();
    expect(Object.isFrozen(verifier.verify(token))).toBe(true);
    const stored = verifier.verify(token);
    expect(Object.isFrozen(stored)).toBe(true);
    expect(verifier.verify(token)).toBe(stored);
  });
});

// Ours may be stricter (it refuses a padded signature, which jose decodes), never looser.
describe('HS256 fast path never accepts what jose refuses', () => {
  const key = new TextEncoder().encode(FIXTURE_KEY);
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const valid = tokens.mint();
  const [h, p, s] = valid.split('.') as [string, string, string];
  const battery: [string, string][] = [
    ['valid', valid],
    ['alg none', tokens.unsigned()],
    ['HS512 label', tokens.mint({}, { header: { alg: 'HS512' } })],
    ['tampered payload', TokenFactory.tamper(valid, { role: 'admin' })],
    ['wrong key', TokenFactory.hs256('y'.repeat(40)).mint()],
    ['truncated signature', `${h}.${p}.${s.slice(0, -2)}`],
    ['padded signature', `${h}.${p}.${s}=`],
    ['empty signature', `${h}.${p}.`],
    ['crit header', tokens.mint({}, { header: { crit: ['b64'], b64: false } })],
    ['header array', `${b64([])}.${p}.${s}`],
    ['two parts', `${h}.${p}`],
    ['garbage', 'garbage'],
  ];

  it.each(battery)('%s', async (_, token) => {
    const ours = new Hs256Verifier(FIXTURE_KEY);
    let oursAccepted = true;
    try {
      ours.verify(token);
    } catch (error) {
      expect(error).toBeInstanceOf(TokenRejectedError);
      oursAccepted = false;
    }
    const joseAccepted = await jwtVerify(token, key, { algorithms: ['HS256'] }).then(
      () => true,
      () => false,
    );
    if (oursAccepted) expect(joseAccepted).toBe(true);
    expect(oursAccepted).toBe(token === valid);
  });
});

describe('verification cache generations', () => {
  const user = validateClaims(tokens.claims(), Math.floor(Date.now() / 1000), policy);

  it('drops the older half at once when the young half is full, never holding more than the capacity', () => {
    const cache = new VerificationCache(4);
    for (const token of ['a', 'b', 'c', 'd']) store(cache, token, user);
    expect(cache.size).toBe(4);
    store(cache, 'e', user); // young {c, d} becomes old, {a, b} (the least recently used) go
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].map((t) => cache.get(t) !== undefined)).toEqual([false, false, true, true, true]);
    expect(cache.size).toBeLessThanOrEqual(4);
  });

  it('keeps a token that is used again through a flood of one-off tokens ten times the capacity', () => {
    const cache = new VerificationCache(10);
    store(cache, 'hot', user);
    for (let i = 0; i < 100; i++) {
      store(cache, `cold-${i}`, user);
      expect(cache.get('hot')).toBe(user);
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(cache.get('cold-0')).toBeUndefined();
    expect(cache.get('cold-99')).toBe(user);
  });

  it('a flood of one-off tokens ten times the capacity is (all but never) stored, and the hot token stays', () => {
    const cache = new VerificationCache(1000);
    store(cache, 'hot', user);
    let stored = 0;
    for (let i = 0; i < 10_000; i++) if (cache.offer(`one-off-${i}-${(i * 2654435761) >>> 0}`, user)) stored += 1;
    expect(stored).toBeLessThanOrEqual(10_000 / 16);
    expect(cache.get('hot')).toBe(user);
  });

  it('forgets first verifications after capacity of them: memory stays bounded', () => {
    const cache = new VerificationCache(4);
    expect(cache.offer('x', user)).toBe(false);
    for (const token of ['t1', 't2', 't3', 't4']) expect(cache.offer(token, user)).toBe(false); // t4 resets the set
    expect(cache.offer('x', user)).toBe(false); // seen again, but after the reset: a first verification
    expect(cache.offer('x', user)).toBe(true);
  });

  it('a token that shares the lookup key (its last 43 characters) is not a hit unless it is the same token', () => {
    const cache = new VerificationCache(10);
    const other = validateClaims(tokens.claims({ role: 'admin' }), Math.floor(Date.now() / 1000), policy);
    const tail = 's'.repeat(43);
    store(cache, `a.${tail}`, user);
    expect(cache.get(`b.${tail}`)).toBeUndefined();
    store(cache, `b.${tail}`, other); // replaces the entry under the shared key
    expect(cache.get(`a.${tail}`)).toBeUndefined();
    expect(cache.get(`b.${tail}`)).toBe(other);
    cache.delete(`a.${tail}`); // not the stored token: nothing removed
    expect(cache.get(`b.${tail}`)).toBe(other);
  });

  it('a capacity of 1 keeps exactly the last token', () => {
    const cache = new VerificationCache(1);
    store(cache, 'a', user);
    store(cache, 'b', user);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(user);
  });

  it('delete and clear empty both generations', () => {
    const cache = new VerificationCache(2);
    store(cache, 'a', user);
    store(cache, 'b', user); // a is now in the old generation
    cache.delete('a');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('b')).toBeUndefined();
  });
});

describe('header memo', () => {
  it('a remembered header is still checked: a token with the same header but another alg label is refused', () => {
    const verifier = new TokenVerifier(new Hs256Verifier(FIXTURE_KEY), policy, 0);
    expect(verifier.verify(tokens.mint())).toMatchObject({ role: 'user' });
    expect(reasonOf(() => verifier.verify(tokens.mint({}, { header: { alg: 'HS512' } })))).toBe('wrong_algorithm');
    expect(verifier.verify(tokens.mint())).toMatchObject({ role: 'user' });
    expect(reasonOf(() => verifier.verify('e30.e30.sig'))).toBe('wrong_algorithm');
    expect(reasonOf(() => verifier.verify('bm90LWpzb24.e30.sig'))).toBe('malformed');
  });
});
