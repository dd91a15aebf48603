/** Stateful mode against a real fake issuer: every reply class of docs/interop.md §4, in both failure modes. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenFactory } from '../../testing/src/tokens';
import { IssuerAnswers, startFakeIssuer, type FakeIssuer, type IssuerAnswer } from '../../testing/src/fake-issuer';
import { call, FIXTURE_KEY, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';
import { loadVectors } from './helpers/vectors';

const SECRET = 'internal-secret-for-tests';
const tokens = TokenFactory.hs256(FIXTURE_KEY);
const vectors = loadVectors();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A jti-status endpoint that holds every call until `release()`, then answers `{"active": true}`. */
async function startHeldIssuer(): Promise<{ url: string; readonly calls: number; release(): void; close(): Promise<void> }> {
  let calls = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    calls += 1;
    req.resume();
    void released.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"active":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/internal/jti-status`,
    get calls() {
      return calls;
    },
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
const UNAVAILABLE = { detail: 'Token revocation check unavailable.' };
const REVOKED = { detail: 'Token has been revoked.' };

let issuer: FakeIssuer;
beforeAll(async () => {
  issuer = await startFakeIssuer({ secret: SECRET });
});
afterAll(() => issuer.close());
beforeEach(() => issuer.reset());

/**
 * Success cases get the default timeouts, so a loaded machine cannot turn them into 503s. Only the
 * tests about the timeout itself shorten it (`SHORT_TIMEOUT_MS`), against a reply held far longer.
 */
const SHORT_TIMEOUT_MS = 300;
const HELD_MS = 10_000;

function statefulApp(values: Record<string, unknown> = {}, timeoutMs = 3_000): Promise<TestApp> {
  return startTestApp(
    [GuardController],
    { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: issuer.url, PRIVATE_API_SECRET: SECRET, ...values },
    { revocationTimeoutMs: timeoutMs, revocationConnectTimeoutMs: timeoutMs },
  );
}

describe('fail_closed (default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await statefulApp();
  });
  afterAll(() => t.close());

  it('active: 200, after one POST in the v1 shape with the internal token', async () => {
    const token = tokens.mint({ jti: vectors.jti_status_fixtures.v1.request.jti });
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    expect(issuer.calls).toBe(1);
    const [request] = issuer.requests;
    expect(request!.method).toBe('POST');
    expect(request!.body).toEqual(vectors.jti_status_fixtures.v1.request);
    expect(request!.headers['x-internal-token']).toBe(SECRET);
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.headers['x-internal-client']).toBeUndefined();
    expect(t.events.filter((e) => e.name === 'auth.revocation').at(-1)!.event).toMatchObject({ result: 'active' });
  });

  it('revoked: 401 Token has been revoked. with the invalid_token challenge', async () => {
    const token = tokens.mint();
    issuer.revoke(tokens.claims().jti); // another jti: still active
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    issuer.script(IssuerAnswers.revoked());
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint() });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(REVOKED);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(t.events.filter((e) => e.name === 'auth.failure').at(-1)!.event).toEqual({ reason: 'revoked' });
  });

  it.each<[string, () => IssuerAnswer]>([
    ['HTTP 500', IssuerAnswers.serverError],
    ['non-JSON 200', IssuerAnswers.nonJson],
    ['{"active": "false"}', IssuerAnswers.activeAsString],
    ['no active member', IssuerAnswers.missingActive],
    ['a JSON array', () => ({ json: [true] })],
    ['a redirect (not followed)', () => IssuerAnswers.redirect('http://127.0.0.1:1/elsewhere')],
    ['a dropped connection', IssuerAnswers.down],
    ['HTTP 401 (wrong internal token)', () => ({ status: 401, json: { detail: 'no' } })],
  ])('%s → 503 Token revocation check unavailable.', async (_, answer) => {
    issuer.script(answer());
    const result = await call(`${t.url}/guards/any`, { token: tokens.mint() });
    expect(result.status).toBe(503);
    expect(result.body).toEqual(UNAVAILABLE);
    expect(result.headers.get('www-authenticate')).toBeNull();
    expect(issuer.calls).toBe(1); // no retries
    expect(t.events.filter((e) => e.name === 'auth.revocation').at(-1)!.event).toMatchObject({ result: 'unverifiable' });
  });

  it('a reply slower than the timeout → 503 at the timeout, not later', async () => {
    const short = await statefulApp({}, SHORT_TIMEOUT_MS);
    try {
      issuer.script(IssuerAnswers.slow(HELD_MS));
      const result = await call(`${short.url}/guards/any`, { token: tokens.mint() });
      expect(result.status).toBe(503);
      expect(result.body).toEqual(UNAVAILABLE);
      // Timing is the behaviour: never before the timeout, and far before the held reply.
      expect(result.ms).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 5);
      expect(result.ms).toBeLessThan(SHORT_TIMEOUT_MS + 3_000);
      expect(issuer.calls).toBe(1); // no retries
      expect(short.events.filter((e) => e.name === 'auth.revocation').at(-1)!.event).toMatchObject({ result: 'unverifiable' });
    } finally {
      await short.close();
    }
  });

  it('the order is valid → revocation → is_active: an invalid token never reaches the issuer', async () => {
    expect((await call(`${t.url}/guards/any`, { token: tokens.expired() })).status).toBe(401);
    expect(issuer.calls).toBe(0);
  });

  it('revocation comes before is_active: a revoked inactive token is "revoked"', async () => {
    issuer.script(IssuerAnswers.revoked());
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({ is_active: false }) })).body).toEqual(REVOKED);
    issuer.script(IssuerAnswers.active());
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({ is_active: false }) })).body).toEqual({ detail: 'Inactive user' });
  });

  it('100 concurrent requests with one token → one revocation call', async () => {
    const held = await startHeldIssuer();
    const wide = await startTestApp(
      [GuardController],
      { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: held.url, PRIVATE_API_SECRET: SECRET },
      { revocationTimeoutMs: 30_000 },
    );
    try {
      const token = tokens.mint();
      // The issuer answers only once the app has received all 100 requests, so none can come after the answer.
      let seen = 0;
      wide.server.on('request', () => {
        if (++seen === 100) setImmediate(() => held.release());
      });
      const answers = await Promise.all(Array.from({ length: 100 }, () => call(`${wide.url}/guards/any`, { token })));
      expect(seen).toBe(100);
      expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
      expect(held.calls).toBe(1);
    } finally {
      await wide.close();
      await held.close();
    }
  });

  it('without the cache, every request asks again (a revocation is seen at once)', async () => {
    const token = tokens.mint();
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    issuer.script(IssuerAnswers.revoked());
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(401);
    expect(issuer.calls).toBe(2);
  });

  it('the issuer entirely down → 503', async () => {
    const gone = await startFakeIssuer();
    const url = gone.url;
    await gone.close();
    const t2 = await startTestApp(
      [GuardController],
      { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: url, PRIVATE_API_SECRET: SECRET },
    );
    try {
      const answer = await call(`${t2.url}/guards/any`, { token: tokens.mint() });
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual(UNAVAILABLE);
    } finally {
      await t2.close();
    }
  });
});

describe('fail_open', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await statefulApp({ ACCESS_REVOCATION_FAILURE_MODE: 'fail_open' });
  });
  afterAll(() => t.close());

  it.each<[string, () => IssuerAnswer]>([
    ['HTTP 500', IssuerAnswers.serverError],
    ['a dropped connection', IssuerAnswers.down],
    ['a redirect', () => IssuerAnswers.redirect('http://127.0.0.1:1/')],
  ])('%s is treated as not revoked, logged and counted', async (_, answer) => {
    issuer.script(answer());
    const before = t.logs.length;
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint() })).status).toBe(200);
    expect(t.events.filter((e) => e.name === 'auth.revocation').at(-1)!.event).toMatchObject({ result: 'fail_open' });
    expect(t.logs.slice(before).some((line) => line.event === 'revocation_unverifiable')).toBe(true);
  });

  it('a timeout is treated as not revoked, logged and counted', async () => {
    const short = await statefulApp({ ACCESS_REVOCATION_FAILURE_MODE: 'fail_open' }, SHORT_TIMEOUT_MS);
    try {
      issuer.script(IssuerAnswers.slow(HELD_MS));
      expect((await call(`${short.url}/guards/any`, { token: tokens.mint() })).status).toBe(200);
      expect(short.events.filter((e) => e.name === 'auth.revocation').at(-1)!.event).toMatchObject({ result: 'fail_open' });
      expect(short.logs.filter((line) => line.event === 'revocation_unverifiable')).toEqual([
        expect.objectContaining({ verdict: 'unavailable', result: 'fail_open' }),
      ]);
    } finally {
      await short.close();
    }
  });

  it.each<[string, () => IssuerAnswer]>([
    ['non-JSON 200', IssuerAnswers.nonJson],
    ['{"active": "false"}', IssuerAnswers.activeAsString],
    ['no active member', IssuerAnswers.missingActive],
  ])('a malformed 2xx (%s) is still 503', async (_, answer) => {
    issuer.script(answer());
    const result = await call(`${t.url}/guards/any`, { token: tokens.mint() });
    expect(result.status).toBe(503);
    expect(result.body).toEqual(UNAVAILABLE);
  });

  it('revoked is still revoked', async () => {
    issuer.script(IssuerAnswers.revoked());
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint() })).status).toBe(401);
  });
});

describe('positive cache (REVOCATION_CACHE_TTL_SECONDS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await statefulApp({ REVOCATION_CACHE_TTL_SECONDS: 60 });
  });
  afterAll(() => t.close());

  it('reuses an active answer and reports hits and misses', async () => {
    const token = tokens.mint();
    for (let i = 0; i < 5; i += 1) expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    expect(issuer.calls).toBe(1);
    const cacheEvents = t.events.filter((e) => e.name === 'auth.revocation_cache').slice(-5).map((e) => e.event);
    expect(cacheEvents).toEqual([{ hit: false }, { hit: true }, { hit: true }, { hit: true }, { hit: true }]);
  });

  it('never keeps an answer past the token exp', async () => {
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = tokens.mint({ exp });
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    await sleep(exp * 1000 - Date.now() + 100); // past exp, still inside the 5 s leeway
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    expect(issuer.calls).toBe(2);
  });

  it('does not cache revoked, unverifiable or fail-open answers', async () => {
    issuer.script(IssuerAnswers.revoked());
    const token = tokens.mint();
    await call(`${t.url}/guards/any`, { token });
    await call(`${t.url}/guards/any`, { token });
    issuer.script(IssuerAnswers.serverError());
    await call(`${t.url}/guards/any`, { token });
    await call(`${t.url}/guards/any`, { token });
    expect(issuer.calls).toBe(4);
  });

  it('concurrent first checks share one call, then the cache answers', async () => {
    const token = tokens.mint();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(`${t.url}/guards/any`, { token })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(issuer.calls).toBe(1);
  });
});

describe('v2 shape (REVOCATION_SCHEMA_VERSION=2)', () => {
  let t: TestApp;
  const v2 = vectors.jti_status_fixtures.v2;
  beforeAll(async () => {
    t = await statefulApp({ REVOCATION_SCHEMA_VERSION: '2', INTERNAL_CLIENT_ID: 'items-service' });
  });
  afterAll(() => t.close());
  const token = tokens.mint({ jti: v2.request.jti, sub: v2.request.expected_user_id });

  it('sends the v2 body and X-Internal-Client, accepts the v2 active reply', async () => {
    issuer.script(() => ({ json: v2.active }));
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(200);
    expect(issuer.requests[0]!.body).toEqual(v2.request);
    expect(issuer.requests[0]!.headers['x-internal-client']).toBe('items-service');
  });

  it('a v2 inactive reply is revoked', async () => {
    issuer.script(() => ({ json: v2.inactive }));
    expect((await call(`${t.url}/guards/any`, { token })).body).toEqual(REVOKED);
  });

  it.each<[string, IssuerAnswer]>([
    ['another user_id', { json: { ...v2.active, user_id: '77777777-7777-4777-8777-777777777777' } }],
    ['no user_id', { json: { ...v2.active, user_id: undefined } }],
    ['another schema_version', { json: vectors.jti_status_fixtures.v2.active && { ...v2.active, schema_version: '999' } }],
    ['a v1 reply', { json: { active: true } }],
  ])('%s → 503', async (_, answer) => {
    issuer.script(answer);
    expect((await call(`${t.url}/guards/any`, { token })).status).toBe(503);
  });
});

describe('legacy INVALID_TOKEN_STATUS=403', () => {
  it('a revoked token answers 403 with the same detail and no challenge', async () => {
    const t = await statefulApp({ INVALID_TOKEN_STATUS: 403 });
    try {
      issuer.script(IssuerAnswers.revoked());
      const answer = await call(`${t.url}/guards/any`, { token: tokens.mint() });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(REVOKED);
      expect(answer.headers.get('www-authenticate')).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('contract timeouts (defaults)', () => {
  it('a reply slower than 3 s answers 503 within about 3 s', async () => {
    const t = await startTestApp([GuardController], {
      TOKEN_MODE: 'stateful',
      AUTH_SERVICE_ROLE: 'consumer',
      INTROSPECTION_URL: issuer.url,
      PRIVATE_API_SECRET: SECRET,
    });
    try {
      issuer.script(IssuerAnswers.slow(6_000));
      const answer = await call(`${t.url}/guards/any`, { token: tokens.mint() });
      expect(answer.status).toBe(503);
      expect(answer.ms).toBeGreaterThan(2_800);
      expect(answer.ms).toBeLessThan(4_000);
    } finally {
      await t.close();
    }
  });
});
