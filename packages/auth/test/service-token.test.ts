/**
 * The client identity of private calls to the issuer (docs/interop.md §8): legacy, bootstrap and
 * service-token modes against a real fake issuer, plain and hardened; the exchange's refresh,
 * single flight, one re-exchange and retry on 401, fail-closed failures, and an issuer restart.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceTokenError, ServiceTokenIdentity } from '@m8/auth';
import { TokenFactory } from '../../testing/src/tokens';
import { IssuerAnswers, startFakeIssuer, type FakeIssuer, type IssuerRequest } from '../../testing/src/fake-issuer';
import { AuthTelemetry } from '../src/telemetry';
import { call, FIXTURE_KEY, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

const SECRET = 'internal-secret-for-service-token-tests';
const CLIENT = 'orders-service';
const UNAVAILABLE = { detail: 'Token revocation check unavailable.' };
const tokens = TokenFactory.hs256(FIXTURE_KEY);

type Mode = 'legacy' | 'bootstrap' | 'service_token';

function identityValues(issuer: FakeIssuer, mode: Mode): Record<string, unknown> {
  if (mode === 'legacy') return {};
  if (mode === 'bootstrap') return { INTERNAL_CLIENT_ID: CLIENT };
  return { INTERNAL_CLIENT_ID: CLIENT, SERVICE_TOKEN_URL: issuer.serviceTokenUrl, SERVICE_TOKEN_SCOPES: 'jti:read, users:read' };
}

function consumer(issuer: FakeIssuer, mode: Mode, values: Record<string, unknown> = {}, timeoutMs = 2_000): Promise<TestApp> {
  return startTestApp(
    [GuardController],
    {
      TOKEN_MODE: 'stateful',
      AUTH_SERVICE_ROLE: 'consumer',
      INTROSPECTION_URL: issuer.url,
      PRIVATE_API_SECRET: SECRET,
      LOG_LEVEL: 'info',
      ...identityValues(issuer, mode),
      ...values,
    },
    { revocationTimeoutMs: timeoutMs, revocationConnectTimeoutMs: timeoutMs },
  );
}

const status = async (t: TestApp): Promise<number> => (await call(`${t.url}/guards/any`, { token: tokens.mint() })).status;
const exchangeEvents = (t: TestApp): unknown[] => t.events.filter((e) => e.name === 'auth.service_token').map((e) => e.event);
const bearerOf = (request: IssuerRequest): string | undefined => request.headers.authorization;

const open: TestApp[] = [];
async function track(app: Promise<TestApp>): Promise<TestApp> {
  const t = await app;
  open.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe('the three identity modes against a plain issuer', () => {
  let issuer: FakeIssuer;
  beforeAll(async () => {
    issuer = await startFakeIssuer({ secret: SECRET, clientId: CLIENT });
  });
  afterAll(() => issuer.close());
  beforeEach(() => issuer.reset());

  it('legacy: X-Internal-Token only', async () => {
    const t = await track(consumer(issuer, 'legacy'));
    expect(await status(t)).toBe(200);
    const [request] = issuer.requests;
    expect(request!.headers['x-internal-token']).toBe(SECRET);
    expect(request!.headers['x-internal-client']).toBeUndefined();
    expect(request!.headers.authorization).toBeUndefined();
    expect(issuer.exchanges).toHaveLength(0);
  });

  it('bootstrap: X-Internal-Client plus X-Internal-Token', async () => {
    const t = await track(consumer(issuer, 'bootstrap'));
    expect(await status(t)).toBe(200);
    const [request] = issuer.requests;
    expect(request!.headers['x-internal-token']).toBe(SECRET);
    expect(request!.headers['x-internal-client']).toBe(CLIENT);
    expect(request!.headers.authorization).toBeUndefined();
    expect(issuer.exchanges).toHaveLength(0);
  });

  it('service token: one exchange with the bootstrap headers and the scopes, then a bearer on every call', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    expect(await status(t)).toBe(200);
    expect(await status(t)).toBe(200);
    expect(issuer.exchanges).toHaveLength(1);
    const [exchange] = issuer.exchanges;
    expect(exchange!.method).toBe('POST');
    expect(exchange!.headers['x-internal-token']).toBe(SECRET);
    expect(exchange!.headers['x-internal-client']).toBe(CLIENT);
    expect(exchange!.headers['content-type']).toMatch(/^application\/json/);
    expect(exchange!.body).toEqual({ scopes: ['jti:read', 'users:read'] });
    expect(issuer.requests).toHaveLength(2);
    for (const request of issuer.requests) {
      expect(bearerOf(request)).toMatch(/^Bearer [A-Za-z0-9_-]{32}$/);
      expect(request.headers['x-internal-client']).toBe(CLIENT);
      expect(request.headers['x-internal-token']).toBeUndefined();
    }
    expect(bearerOf(issuer.requests[1]!)).toBe(bearerOf(issuer.requests[0]!));
    expect(exchangeEvents(t)).toEqual([{ result: 'success' }]);
  });

  it('service token without scopes sends {}', async () => {
    const t = await track(consumer(issuer, 'service_token', { SERVICE_TOKEN_SCOPES: '' }));
    expect(await status(t)).toBe(200);
    expect(issuer.exchanges.map((e) => e.body)).toEqual([{}]);
  });

  it('the v2 jti-status call carries the service token too', async () => {
    const t = await track(consumer(issuer, 'service_token', { REVOCATION_SCHEMA_VERSION: '2' }));
    const sub = '11111111-1111-4111-8111-111111111111';
    expect((await call(`${t.url}/guards/any`, { token: tokens.mint({ sub }) })).status).toBe(200);
    expect(issuer.requests[0]!.body).toMatchObject({ expected_user_id: sub, schema_version: '2' });
    expect(bearerOf(issuer.requests[0]!)).toMatch(/^Bearer /);
  });

  it('logs the auth posture once at start, with the identity mode', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    const lines = t.logs.filter((line) => line.event === 'auth_posture');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      algorithm: 'HS256',
      key_source: 'secret',
      strict_validation: false,
      token_mode: 'stateful',
      revocation_failure_mode: 'fail_closed',
      client_identity: 'service_token',
    });
    expect(JSON.stringify(t.logs)).not.toContain(SECRET);
  });
});

describe('a hardened issuer (401 to the legacy shape)', () => {
  let issuer: FakeIssuer;
  beforeAll(async () => {
    issuer = await startFakeIssuer({ secret: SECRET, clientId: CLIENT, hardened: true });
  });
  afterAll(() => issuer.close());
  beforeEach(() => issuer.reset());

  it.each<[Mode]>([['legacy'], ['bootstrap']])('%s: every authenticated request is 503', async (mode) => {
    const t = await track(consumer(issuer, mode));
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint() });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual(UNAVAILABLE);
    expect(issuer.requests).toHaveLength(1); // a fixed secret refused is not retried
  });

  it('service token: 200s', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    for (let i = 0; i < 3; i++) expect(await status(t)).toBe(200);
    expect(issuer.exchanges).toHaveLength(1);
  });

  it('concurrent first requests share one exchange', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    const statuses = await Promise.all(Array.from({ length: 12 }, () => status(t)));
    expect(statuses).toEqual(Array(12).fill(200));
    expect(issuer.exchanges).toHaveLength(1);
  });

  it('a token the issuer no longer accepts: one re-exchange, one retry, 200', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    expect(await status(t)).toBe(200);
    issuer.forgetServiceTokens();
    expect(await status(t)).toBe(200);
    expect(issuer.exchanges).toHaveLength(2);
    expect(issuer.requests).toHaveLength(3); // ok, refused, retried
    expect(bearerOf(issuer.requests[2]!)).not.toBe(bearerOf(issuer.requests[1]!));
    expect(exchangeEvents(t)).toEqual([{ result: 'success' }, { result: 'success' }]);
  });

  it('a 401 that persists after the re-exchange: no second retry, 503', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    issuer.script({ status: 401, json: { detail: 'nope' } });
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint() });
    expect(answer.status).toBe(503);
    expect(issuer.exchanges).toHaveLength(2);
    expect(issuer.requests).toHaveLength(2);
  });

  it.each<[string, () => void]>([
    ['answers 500', () => issuer.scriptExchange(IssuerAnswers.serverError())],
    ['refuses the client (401)', () => issuer.scriptExchange({ status: 401, json: { detail: 'Unknown internal client' } })],
    ['drops the connection', () => issuer.scriptExchange(IssuerAnswers.down())],
    ['answers without access_token', () => issuer.scriptExchange({ json: { expires_in: 300 } })],
    ['answers a non-positive expires_in', () => issuer.scriptExchange({ json: { access_token: 'abc', expires_in: 0 } })],
    ['answers non-JSON', () => issuer.scriptExchange(IssuerAnswers.nonJson())],
  ])('an exchange that fails (%s) is 503 even in fail_open, and the issuer is not asked', async (_label, fail) => {
    const t = await track(consumer(issuer, 'service_token', { ACCESS_REVOCATION_FAILURE_MODE: 'fail_open' }));
    fail();
    const answer = await call(`${t.url}/guards/any`, { token: tokens.mint() });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual(UNAVAILABLE);
    expect(issuer.requests).toHaveLength(0);
    expect(exchangeEvents(t)).toEqual([{ result: 'failure' }]);
    expect(t.events.filter((e) => e.name === 'auth.failure').at(-1)!.event).toEqual({ reason: 'revocation_unavailable' });
    expect(t.logs.some((line) => line.event === 'service_token_exchange_failed')).toBe(true);
    // A failure is not remembered: the next request exchanges again and passes.
    issuer.scriptExchange(undefined);
    expect(await status(t)).toBe(200);
    expect(exchangeEvents(t)).toEqual([{ result: 'failure' }, { result: 'success' }]);
  });

  it('recovers after the issuer restarts and issues new tokens', async () => {
    const t = await track(consumer(issuer, 'service_token'));
    expect(await status(t)).toBe(200);
    const before = bearerOf(issuer.requests[0]!);
    await issuer.restart();
    expect(await status(t)).toBe(200);
    expect(issuer.exchanges).toHaveLength(2);
    expect(bearerOf(issuer.requests.at(-1)!)).not.toBe(before);
    expect(await status(t)).toBe(200);
    expect(issuer.exchanges).toHaveLength(2);
  });

  it('while the issuer is down, 503; once it is back, 200', async () => {
    const t = await track(consumer(issuer, 'service_token', {}, 500));
    expect(await status(t)).toBe(200);
    issuer.script(IssuerAnswers.down());
    expect(await status(t)).toBe(503);
    issuer.script(undefined);
    expect(await status(t)).toBe(200);
  });
});

describe('ServiceTokenIdentity on its own (clock under control)', () => {
  let issuer: FakeIssuer;
  let now = 1_000_000;
  const identity = (leewaySeconds: number): ServiceTokenIdentity =>
    new ServiceTokenIdentity({
      url: issuer.serviceTokenUrl,
      clientId: CLIENT,
      secret: SECRET,
      scopes: [],
      leewayMs: leewaySeconds * 1000,
      connectTimeoutMs: 2_000,
      timeoutMs: 2_000,
      telemetry: new AuthTelemetry(),
      now: () => now,
    });
  beforeAll(async () => {
    issuer = await startFakeIssuer({ secret: SECRET, clientId: CLIENT, serviceTokenTtlSeconds: 120 });
  });
  afterAll(() => issuer.close());
  beforeEach(() => issuer.reset());

  it('replaces the token LEEWAY seconds before it expires, not earlier', async () => {
    const id = identity(30);
    try {
      const first = await id.headers();
      expect(first).toEqual({ Authorization: expect.stringMatching(/^Bearer /), 'X-Internal-Client': CLIENT });
      now += 89_999; // 120 s lifetime − 30 s leeway = due at +90 s
      expect(await id.headers()).toBe(first);
      expect(issuer.exchanges).toHaveLength(1);
      now += 1;
      const second = await id.headers();
      expect(second.Authorization).not.toBe(first.Authorization);
      expect(issuer.exchanges).toHaveLength(2);
    } finally {
      await id.close();
    }
  });

  it('renew() after a 401: callers that saw the same refused token share one exchange', async () => {
    const id = identity(30);
    try {
      const used = await id.headers();
      const renewed = await Promise.all([id.renew(used), id.renew(used), id.renew(used)]);
      expect(issuer.exchanges).toHaveLength(2);
      expect(new Set(renewed.map((h) => h.Authorization)).size).toBe(1);
      expect(renewed[0]!.Authorization).not.toBe(used.Authorization);
      // A late caller holding the old token gets the replacement, without another exchange.
      expect(await id.renew(used)).toBe(renewed[0]);
      expect(issuer.exchanges).toHaveLength(2);
    } finally {
      await id.close();
    }
  });

  it('a failed exchange rejects with ERR_M8_SERVICE_TOKEN', async () => {
    const id = identity(30);
    try {
      issuer.scriptExchange({ status: 403, json: { detail: 'forbidden' } });
      const failure = await Promise.resolve(id.headers()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ServiceTokenError);
      expect(failure).toMatchObject({ code: 'ERR_M8_SERVICE_TOKEN', reason: 'the issuer answered HTTP 403' });
      expect(String((failure as Error).message)).not.toContain(SECRET);
    } finally {
      await id.close();
    }
  });
});
