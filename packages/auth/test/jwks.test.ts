/** JWKS keys from a real endpoint: rotation, unknown-kid floods, outages, key filtering (docs/interop.md §1). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenFactory } from '../../testing/src/tokens';
import { startJwksServer, type JwksServer } from '../../testing/src/jwks-server';
import { call, INVALID, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

const COOLDOWN_MS = 300;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const a = TokenFactory.rs256({ kid: 'key-a' });
const b = TokenFactory.rs256({ kid: 'key-b' });

async function jwksApp(jwks: JwksServer, values: Record<string, unknown> = {}): Promise<TestApp> {
  return startTestApp(
    [GuardController],
    { ACCESS_TOKEN_ALGORITHM: 'RS256', JWKS_URI: jwks.url, ACCESS_SECRET_KEY: undefined, ...values },
    { jwksCooldownMs: COOLDOWN_MS, jwksTimeoutMs: 500 },
  );
}

describe('RS256 JWKS, warm cache (TTL 300 s)', () => {
  let jwks: JwksServer;
  let t: TestApp;
  beforeAll(async () => {
    jwks = await startJwksServer({ keys: [a.publicJwk!] });
    t = await jwksApp(jwks);
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });
  const status = async (token: string): Promise<number> => (await call(`${t.url}/guards/any`, { token })).status;

  it('fetches once and reuses the set', async () => {
    expect(await status(a.mint())).toBe(200);
    expect(await status(a.mint())).toBe(200);
    expect(await status(a.mint({ role: 'admin' }))).toBe(200);
    expect(jwks.fetchCount).toBe(1);
  });

  it('rotation: a new kid is accepted after exactly one refetch', async () => {
    jwks.setKeys([a.publicJwk!, b.publicJwk!]);
    await sleep(COOLDOWN_MS + 50);
    const before = jwks.fetchCount;
    expect(await status(b.mint())).toBe(200);
    expect(await status(b.mint())).toBe(200);
    expect(jwks.fetchCount - before).toBe(1);
  });

  it('a path-like kid is just an unknown kid (401)', async () => {
    expect(await status(a.mint({}, { header: { kid: '../../etc/passwd' } }))).toBe(401);
  });

  it('a token without kid is refused when the set holds several keys', async () => {
    expect(await status(a.mint({}, { header: { kid: undefined } }))).toBe(401);
  });

  it('a known kid with the wrong key material is a bad signature', async () => {
    const impostor = TokenFactory.rs256({ kid: 'key-a' });
    expect(await status(impostor.mint())).toBe(401);
  });

  it('HS256 signed with the JWKS key material is refused (algorithm confusion)', async () => {
    expect(await status(TokenFactory.hs256(a.publicKeyPem!).mint({}, { header: { kid: 'key-a' } }))).toBe(401);
  });
});

describe('RS256 JWKS at start', () => {
  it('fetches the key set while starting, so the first request pays no fetch', async () => {
    const jwks = await startJwksServer({ keys: [a.publicJwk!] });
    const t = await jwksApp(jwks);
    try {
      expect(jwks.fetchCount).toBe(1);
      expect((await call(`${t.url}/guards/any`, { token: a.mint() })).status).toBe(200);
      expect(jwks.fetchCount).toBe(1);
    } finally {
      await t.close();
      await jwks.close();
    }
  });
});

describe('RS256 JWKS rotated right after a deploy', () => {
  it('the start-up fetch leaves the unknown-kid cooldown unused: the new key is accepted at once', async () => {
    const jwks = await startJwksServer({ keys: [a.publicJwk!] });
    // The default cooldown (10 s): long enough that a used-up cooldown would refuse key-b below.
    const t = await startTestApp([GuardController], { ACCESS_TOKEN_ALGORITHM: 'RS256', JWKS_URI: jwks.url, ACCESS_SECRET_KEY: undefined }, { jwksCooldownMs: 10_000 });
    try {
      expect(jwks.fetchCount).toBe(1); // the start-up fetch
      jwks.setKeys([a.publicJwk!, b.publicJwk!]);
      expect((await call(`${t.url}/guards/any`, { token: b.mint() })).status).toBe(200);
      expect(jwks.fetchCount).toBe(2);
      // The refetch it caused does count: another unknown kid within the cooldown is refused without a fetch.
      const c = TokenFactory.rs256({ kid: 'key-c' });
      jwks.setKeys([a.publicJwk!, b.publicJwk!, c.publicJwk!]);
      expect((await call(`${t.url}/guards/any`, { token: c.mint() })).status).toBe(401);
      expect(jwks.fetchCount).toBe(2);
    } finally {
      await t.close();
      await jwks.close();
    }
  });
});

describe('RS256 JWKS, outages and removals (TTL 0: refreshed whenever the cooldown allows)', () => {
  let jwks: JwksServer;
  let t: TestApp;
  beforeAll(async () => {
    jwks = await startJwksServer({ keys: [a.publicJwk!] });
    t = await jwksApp(jwks, { JWKS_CACHE_TTL_SECONDS: 0 });
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });
  const status = async (token: string): Promise<number> => (await call(`${t.url}/guards/any`, { token })).status;
  const failures = (): number => t.logs.filter((line) => line.event === 'jwks_fetch_failed').length;

  it.each(['down', 'error'] as const)('JWKS %s after a warm fetch: the last good keys keep working', async (mode) => {
    expect(await status(a.mint())).toBe(200);
    jwks.setMode(mode);
    await sleep(COOLDOWN_MS + 50); // past the cooldown: the next request may refresh (timing is the behaviour)
    const before = jwks.fetchCount;
    const failuresBefore = failures();
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) expect(await status(a.mint())).toBe(200);
    // The background refresh has run to its end once its failure is logged.
    await vi.waitFor(() => expect(failures()).toBeGreaterThan(failuresBefore), { timeout: 10_000, interval: 10 });
    // The stale set was refreshed, and failed: at most once per cooldown (a loaded machine may
    // spend more than one cooldown on the five requests).
    const fetches = jwks.fetchCount - before;
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / COOLDOWN_MS));
    expect(await status(b.mint())).toBe(401); // unknown kid while down: 401, never 500
    expect(t.logs.some((line) => line.event === 'jwks_fetch_failed')).toBe(true);
    jwks.setMode('up');
  });

  it('a key removed from the set stops working once the set is refreshed, cached tokens included', async () => {
    jwks.setKeys([a.publicJwk!]);
    await sleep(COOLDOWN_MS + 50);
    const token = a.mint();
    expect(await status(token)).toBe(200); // verified and cached
    jwks.setKeys([b.publicJwk!]);
    await sleep(COOLDOWN_MS + 50); // past the cooldown: the next request may refresh (timing is the behaviour)
    const fetched = jwks.fetchCount;
    expect(await status(token)).toBe(200); // served from the keys it has, and triggers the background refresh
    // Once the refreshed set is in place the cached token stops working: wait for that, not for a guessed delay.
    await vi.waitFor(async () => expect(await status(token)).toBe(401), { timeout: 10_000, interval: 20 });
    expect(jwks.fetchCount).toBeGreaterThan(fetched);
    expect(await status(b.mint())).toBe(200);
  });
});

describe('JWKS key filtering', () => {
  const weak = TokenFactory.rs256({ kid: 'weak', modulusLength: 1024 });
  const ec = TokenFactory.es256({ kid: 'ec' });
  let jwks: JwksServer;
  let t: TestApp;
  beforeAll(async () => {
    jwks = await startJwksServer({
      keys: [
        { ...a.publicJwk!, kid: 'enc', use: 'enc' },
        { ...a.publicJwk!, kid: 'rs384', alg: 'RS384' },
        { ...a.publicJwk!, kid: 'no-verify', key_ops: ['encrypt'] },
        weak.publicJwk!,
        { ...ec.publicJwk!, alg: undefined },
        { ...b.publicJwk!, use: undefined, alg: undefined }, // no use/alg: allowed
      ],
    });
    t = await jwksApp(jwks);
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });
  const status = async (token: string): Promise<number> => (await call(`${t.url}/guards/any`, { token })).status;

  it.each([
    ['use=enc', a.mint({}, { header: { kid: 'enc' } })],
    ['another alg', a.mint({}, { header: { kid: 'rs384' } })],
    ['key_ops without verify', a.mint({}, { header: { kid: 'no-verify' } })],
    ['RSA under 2048 bits', weak.mint()],
    ['an EC key in an RS256 set', ec.mint({}, { header: { alg: 'RS256' } })],
  ])('skips %s', async (_, token) => {
    expect(await status(token)).toBe(401);
  });

  it('keeps a fitting key without use/alg', async () => {
    expect(await status(b.mint())).toBe(200);
  });
});

describe('ES256 JWKS', () => {
  const ec = TokenFactory.es256({ kid: 'ec-1' });
  let jwks: JwksServer;
  let t: TestApp;
  beforeAll(async () => {
    jwks = await startJwksServer({ keys: [ec.publicJwk!, a.publicJwk!] });
    t = await jwksApp(jwks, { ACCESS_TOKEN_ALGORITHM: 'ES256' });
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });

  it('accepts ES256 tokens and refuses RS256 ones', async () => {
    expect((await call(`${t.url}/guards/any`, { token: ec.mint() })).status).toBe(200);
    expect((await call(`${t.url}/guards/any`, { token: a.mint() })).status).toBe(401);
  });

  it('a token without kid passes when the set leaves no choice', async () => {
    expect((await call(`${t.url}/guards/any`, { token: ec.mint({}, { header: { kid: undefined } }) })).status).toBe(200);
  });
});

describe('a flood of unknown kids', () => {
  it('causes at most one fetch per cooldown, each request a 401', async () => {
    const jwks = await startJwksServer({ keys: [a.publicJwk!] });
    // A cooldown far longer than the flood, so the count cannot depend on machine speed.
    const t = await startTestApp(
      [GuardController],
      { ACCESS_TOKEN_ALGORITHM: 'RS256', JWKS_URI: jwks.url, ACCESS_SECRET_KEY: undefined },
      { jwksCooldownMs: 60_000 },
    );
    try {
      const flood = (): Promise<Awaited<ReturnType<typeof call>>[]> =>
        Promise.all(Array.from({ length: 50 }, () => call(`${t.url}/guards/any`, { token: a.mint({}, { header: { kid: randomUUID() } }) })));
      const answers = [...(await flood()), ...(await flood())];
      expect(answers.every((answer) => answer.status === 401)).toBe(true);
      expect(answers[0]!.body).toEqual(INVALID.body);
      expect(answers[0]!.headers.get('www-authenticate')).toBe(INVALID.challenge);
      expect(jwks.fetchCount).toBe(2); // the start-up fetch, then one for the whole flood
      expect(t.events.filter((e) => e.name === 'auth.failure').at(-1)!.event).toEqual({ reason: 'unknown_key' });
      expect((await call(`${t.url}/guards/any`, { token: a.mint() })).status).toBe(200); // the known key still works
    } finally {
      await t.close();
      await jwks.close();
    }
  });
});

describe('JWKS unreachable from the start', () => {
  it('answers 401 (never 500), then recovers when the endpoint comes up', async () => {
    const jwks = await startJwksServer({ keys: [a.publicJwk!] });
    jwks.setMode('error');
    const t = await jwksApp(jwks);
    try {
      expect((await call(`${t.url}/guards/any`, { token: a.mint() })).status).toBe(401);
      jwks.setMode('up');
      await sleep(COOLDOWN_MS + 50);
      expect((await call(`${t.url}/guards/any`, { token: a.mint() })).status).toBe(200);
    } finally {
      await t.close();
      await jwks.close();
    }
  });
});
