/**
 * Who sees the detail body, what it holds, and what never leaks (docs/interop.md §6).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VERSION, type M8Context } from '@m8/core';
import { HEALTH_PACKAGE, HealthCheckResult, HealthConfig, type HealthOptions } from '@m8/health';
import { INTERNAL_SECRET, get, startHealthApp, type Running } from './helpers';

const open: Running[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function start(health: HealthOptions = {}, settings: Record<string, unknown> = {}): Promise<Running> {
  const running = await startHealthApp(health, settings);
  open.push(running);
  return running;
}

const checks = [
  { name: 'db', check: async () => HealthCheckResult.ok({ pool: 5 }) },
  { name: 'cache', check: async () => HealthCheckResult.degraded('slow') },
];

interface Detail {
  status: string;
  checks: { name: string; status: string; latency_ms: number; error: string | null; meta: Record<string, unknown>; ok: boolean }[];
  service: string;
  version: string;
  [framework: string]: unknown;
}

describe('detail gating', () => {
  it('the right X-Internal-Token gets the detail body', async () => {
    const { url } = await start({ checks });
    const answer = await get(`${url}/api/health/`, { 'X-Internal-Token': INTERNAL_SECRET });
    expect(answer.status).toBe(200);
    const body = answer.body as Detail;
    expect(Object.keys(body).slice(0, 4)).toEqual(['status', 'checks', 'service', 'version']);
    expect(body).toMatchObject({
      status: 'degraded',
      service: 'orders',
      version: '1.2.3',
      '@m8/core': VERSION,
      '@m8/health': HEALTH_PACKAGE.version,
    });
    expect(body.checks).toEqual([
      { name: 'db', status: 'ok', latency_ms: expect.any(Number), error: null, meta: { pool: 5 }, ok: true },
      { name: 'cache', status: 'degraded', latency_ms: expect.any(Number), error: 'slow', meta: {}, ok: false },
    ]);
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { 'X-Internal-Token': 'wrong' }],
    ['a prefix of the token', { 'X-Internal-Token': INTERNAL_SECRET.slice(0, -1) }],
    ['an empty token', { 'X-Internal-Token': '' }],
  ])('%s gets the anonymous body', async (_label, headers) => {
    const { url } = await start({ checks });
    const answer = await get(`${url}/api/health/`, headers);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'degraded' });
  });

  it.each([
    ['empty', ''],
    ['unset', undefined],
  ])('an %s PRIVATE_API_SECRET never matches, not even an empty header', async (_label, secret) => {
    const { url } = await start({ checks }, { PRIVATE_API_SECRET: secret });
    for (const token of ['', 'undefined', 'null']) {
      expect((await get(`${url}/api/health/`, { 'X-Internal-Token': token })).body).toEqual({ status: 'degraded' });
    }
  });

  it('HEALTH_DETAIL_CREDENTIAL replaces PRIVATE_API_SECRET as the detail credential', async () => {
    const credential = 'ops-only-health-credential-7f3a9c';
    const { url } = await start({ checks }, { HEALTH_DETAIL_CREDENTIAL: credential });
    const detail = await get(`${url}/api/health/`, { 'X-Internal-Token': credential });
    expect(detail.status).toBe(200);
    expect((detail.body as Detail).checks.map((c) => c.name)).toEqual(['db', 'cache']);
    // The issuer's secret no longer opens the detail view.
    expect((await get(`${url}/api/health/`, { 'X-Internal-Token': INTERNAL_SECRET })).body).toEqual({ status: 'degraded' });
  });

  it('detailPublic shows the detail to everyone', async () => {
    const { url } = await start({ checks, detailPublic: true });
    const body = (await get(`${url}/api/health/`)).body as Detail;
    expect(body.checks).toHaveLength(2);
  });

  it('a custom authoriser admits whom it says, sync or async', async () => {
    const seen: string[] = [];
    const { url } = await start({
      checks,
      detailAuthorizer: async (ctx: M8Context) => {
        seen.push(ctx.path);
        return ctx.get('x-ops') === 'yes';
      },
    });
    expect(((await get(`${url}/api/health/`, { 'X-Ops': 'yes' })).body as Detail).checks).toHaveLength(2);
    expect((await get(`${url}/api/health/`, { 'X-Ops': 'no' })).body).toEqual({ status: 'degraded' });
    // The token still works alongside an authoriser.
    expect(((await get(`${url}/api/health`, { 'X-Internal-Token': INTERNAL_SECRET })).body as Detail).checks).toHaveLength(2);
    expect(seen).toEqual(['/api/health/', '/api/health/']);
  });

  it('an authoriser that throws or answers a truthy non-boolean refuses the detail', async () => {
    const throwing = await start({ checks, detailAuthorizer: () => { throw new Error('ldap down'); } });
    const answer = await get(`${throwing.url}/api/health/`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'degraded' });
    const sloppy = await start({ checks, detailAuthorizer: (() => 'yes') as unknown as () => boolean });
    expect((await get(`${sloppy.url}/api/health/`)).body).toEqual({ status: 'degraded' });
  });

  it('a failing service still answers 503 with the detail body', async () => {
    const { url } = await start({ detailPublic: true, checks: [{ name: 'db', check: async () => false }] });
    const answer = await get(`${url}/api/health/`);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: 'fail', checks: [{ name: 'db', status: 'fail', error: 'check failed', ok: false }] });
  });
});

describe('scrubbing in the detail body', () => {
  it('masks URL credentials in errors and redacts secret-named meta keys, nested and camelCase', async () => {
    const { url } = await start({
      detailPublic: true,
      checks: [
        { name: 'db', check: async () => Promise.reject(new Error('cannot reach postgres://orders:Sup3rS3cret@db:5432/orders')) },
        {
          name: 'broker',
          check: async () =>
            HealthCheckResult.ok({
              host: 'mq',
              password: 'pw-1',
              apiKey: 'pw-2',
              nested: { client_secret: 'pw-3', deeper: { accessToken: 'pw-4', PRIVATE_KEY: 'pw-5' } },
              nodes: [{ dsn: 'pw-6', url: 'amqp://guest:pw-7@mq:5672/' }],
              Credentials: { user: 'pw-8' },
            }),
        },
      ],
    });
    const answer = await get(`${url}/api/health/`);
    const text = JSON.stringify(answer.body);
    expect(text).not.toMatch(/Sup3rS3cret|pw-\d/);
    const body = answer.body as Detail;
    expect(body.checks[0]?.error).toBe('cannot reach postgres://***:***@db:5432/orders');
    expect(body.checks[1]?.meta).toEqual({
      host: 'mq',
      password: 'REDACTED',
      apiKey: 'REDACTED',
      nested: { client_secret: 'REDACTED', deeper: { accessToken: 'REDACTED', PRIVATE_KEY: 'REDACTED' } },
      nodes: [{ dsn: 'REDACTED', url: 'amqp://***:***@mq:5672/' }],
      Credentials: 'REDACTED',
    });
  });
});

describe('telemetry', () => {
  it('emits health.check once per check run, not per probe', async () => {
    const running = await start({ cacheTtl: 5, checks });
    const events: unknown[] = [];
    running.app.events.on('health.check', (event) => events.push(event));
    await Promise.all([get(`${running.url}/api/health/`), get(`${running.url}/api/health/`)]);
    await get(`${running.url}/api/health/`);
    expect(events).toEqual([
      { name: 'db', status: 'ok', latencyMs: expect.any(Number) },
      { name: 'cache', status: 'degraded', latencyMs: expect.any(Number) },
    ]);
  });
});

describe('one HealthConfig, several apps', () => {
  it('keeps a cache per app', async () => {
    let runs = 0;
    const config = new HealthConfig({ cacheTtl: 5, checks: [{ name: 'c', check: () => (runs++, true) }] });
    const a = await startHealthApp(config);
    const b = await startHealthApp(config);
    open.push(a, b);
    await get(`${a.url}/api/health/`);
    await get(`${b.url}/api/health/`);
    await get(`${a.url}/api/health/`);
    expect(runs).toBe(2);
  });
});
