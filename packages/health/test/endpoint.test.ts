/**
 * The health and ping routes through a real listening app (docs/interop.md §6, §7).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthCheckResult, HealthPolicy, HealthStatus, type HealthCheck, type HealthOptions } from '@m8/health';
import { get, serveUnstarted, startHealthApp, type Running } from './helpers';

const open: Running[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function start(health: HealthOptions = {}, settings: Record<string, unknown> = {}): Promise<Running> {
  const running = await startHealthApp(health, settings);
  open.push(running);
  return running;
}

/** A check that tells when it started and finishes when the test says so. */
class HeldCheck {
  readonly started: Promise<void>;
  private readonly finished: Promise<void>;
  private markStarted!: () => void;
  private markFinished!: () => void;
  constructor() {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }
  async run(): Promise<boolean> {
    this.markStarted();
    await this.finished;
    return true;
  }
  finish(): void {
    this.markFinished();
  }
}

const returning = (name: string, status: HealthStatus): HealthCheck => ({ name, check: async () => new HealthCheckResult(status) });

describe('readiness lifecycle', () => {
  it('initializing (validators pending) → ready → closed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = await serveUnstarted({}, { startupValidators: [() => gate] });
    open.push(running);

    const before = await get(`${running.url}/api/health/`);
    expect(before.status).toBe(503);
    expect(before.body).toEqual({ status: 'initializing', ready: false });

    const starting = running.app.start();
    expect((await get(`${running.url}/api/health`)).body).toEqual({ status: 'initializing', ready: false });
    release();
    await starting;
    const ready = await get(`${running.url}/api/health/`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok' });

    // Without a listener of its own the app has nothing to drain: close() goes straight to `closed`
    // (the listener case, `shutting_down` while draining, is the next tests).
    await running.app.close();
    expect(running.app.state).toBe('closed');
    const closed = await get(`${running.url}/api/health/`);
    expect(closed.status).toBe(503);
    expect(closed.body).toEqual({ status: 'shutting_down' });
  });

  it('never reports ready when a start-up validator fails', async () => {
    const running = await serveUnstarted({}, { startupValidators: [() => Promise.reject(new Error('no db'))] });
    open.push(running);
    await expect(running.app.start()).rejects.toMatchObject({ code: 'ERR_M8_STARTUP' });
    const answer = await get(`${running.url}/api/health/`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ status: 'initializing', ready: false });
  });

  it('answers shutting_down while the listener stays open for SHUTDOWN_DELAY_SECONDS', async () => {
    const running = await startHealthApp({}, { SHUTDOWN_DELAY_SECONDS: 1 });
    const closing = running.app.close();
    const answer = await get(`${running.url}/api/health/`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ status: 'shutting_down' });
    // Liveness still answers: the process is alive, only readiness changed.
    expect((await get(`${running.url}/api/ping`)).status).toBe(200);
    await closing;
  });

  it('a probe in flight when shutdown begins answers shutting_down', async () => {
    const check = new HeldCheck();
    const running = await startHealthApp({ checks: [{ name: 'slow', check: () => check.run() }] });
    const probe = get(`${running.url}/api/health/`);
    await check.started; // the probe is inside the run of its checks
    const closing = running.app.close();
    check.finish();
    const answer = await probe;
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ status: 'shutting_down' });
    await closing;
  });
});

describe('status and HTTP code', () => {
  const table: [HealthStatus, 'lenient' | 'strict', number, HealthStatus][] = [
    ['ok', 'lenient', 200, 'ok'],
    ['ok', 'strict', 200, 'ok'],
    ['degraded', 'lenient', 200, 'degraded'],
    ['degraded', 'strict', 200, 'degraded'],
    ['unknown', 'lenient', 200, 'unknown'],
    ['unknown', 'strict', 503, 'fail'],
    ['fail', 'lenient', 503, 'fail'],
    ['fail', 'strict', 503, 'fail'],
  ];
  it.each(table)('a check answering %s under %s → %i %s', async (status, policy, code, overall) => {
    const { url } = await start({ policy, checks: [returning('ok-one', 'ok'), returning('subject', status)] });
    const answer = await get(`${url}/api/health/`);
    expect(answer.status).toBe(code);
    expect(answer.body).toEqual({ status: overall });
  });

  it('boolean checks: false fails the service', async () => {
    const { url } = await start({ policy: HealthPolicy.LENIENT, checks: [{ name: 'a', check: async () => true }, { name: 'b', check: async () => false }] });
    const answer = await get(`${url}/api/health/`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ status: 'fail' });
  });
});

describe('time limits and failures', () => {
  it('a hanging check is fail "timeout 500ms" and the endpoint answers within the timeout plus a margin', async () => {
    const { url } = await start({ detailPublic: true, checks: [{ name: 'hang', check: () => new Promise<boolean>(() => undefined) }, returning('fine', 'ok')] });
    const answer = await get(`${url}/api/health/`);
    // Timing is the behaviour: never before the timeout, and within a margin a loaded machine keeps.
    expect(answer.ms).toBeGreaterThanOrEqual(490);
    expect(answer.ms).toBeLessThan(500 + 2_500);
    expect(answer.status).toBe(503);
    const body = answer.body as { status: string; checks: { name: string; status: string; error: string | null; ok: boolean }[] };
    expect(body.status).toBe('fail');
    expect(body.checks.find((c) => c.name === 'hang')).toMatchObject({ status: 'fail', error: 'timeout 500ms', ok: false });
    expect(body.checks.find((c) => c.name === 'fine')).toMatchObject({ status: 'ok', error: null, ok: true });
  });

  it('a throwing check is fail with its message, and nothing internal', async () => {
    const boom = Object.assign(new Error('connection refused'), { sql: 'SELECT password FROM users', host: '10.0.0.7' });
    const { url } = await start({ detailPublic: true, checks: [{ name: 'db', check: async () => Promise.reject(boom) }] });
    const answer = await get(`${url}/api/health/`);
    expect(answer.status).toBe(503);
    const text = JSON.stringify(answer.body);
    expect((answer.body as { checks: unknown[] }).checks[0]).toMatchObject({ name: 'db', status: 'fail', error: 'connection refused', meta: {} });
    expect(text).not.toMatch(/SELECT|10\.0\.0\.7|at .*\.ts|stack/);
  });
});

describe('cache and single-flight', () => {
  it('100 parallel probes with a slow check run it once', async () => {
    let runs = 0;
    const check = new HeldCheck();
    // The check finishes only once all 100 probes have reached the app (counted before the health route).
    let seen = 0;
    const countProbes = (_ctx: unknown, next: () => Promise<void>) => {
      if (++seen === 100) setImmediate(() => check.finish());
      return next();
    };
    const running = await startHealthApp(
      { cacheTtl: 0, checks: [{ name: 'slow', check: () => (runs++, check.run()) }] },
      {},
      { plugins: [{ name: 'probe-counter', setup: (app) => app.use('observe', countProbes) }] },
    );
    open.push(running);
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(`${running.url}/api/health/`)));
    expect(seen).toBe(100);
    expect(runs).toBe(1);
    expect(answers.every((a) => a.status === 200 && (a.body as { status: string }).status === 'ok')).toBe(true);
  });

  it('reuses results for cacheTtl, then runs the checks again', async () => {
    let runs = 0;
    // Timing is the behaviour: three probes well inside a 2 s TTL share one run; then probe until it expires.
    const { url } = await start({ cacheTtl: 2, checks: [{ name: 'counted', check: () => (runs++, true) }] });
    await get(`${url}/api/health/`);
    await get(`${url}/api/health`);
    await get(`${url}/api/health/`);
    expect(runs).toBe(1);
    await vi.waitFor(
      async () => {
        await get(`${url}/api/health/`);
        expect(runs).toBe(2);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(runs).toBe(2);
  });

  it('cacheTtl 0 runs the checks on every probe', async () => {
    let runs = 0;
    const { url } = await start({ cacheTtl: 0, checks: [{ name: 'counted', check: () => (runs++, true) }] });
    await get(`${url}/api/health/`);
    await get(`${url}/api/health/`);
    expect(runs).toBe(2);
  });
});

describe('routes', () => {
  it('answers with and without the trailing slash, never redirecting', async () => {
    const { url } = await start();
    for (const path of ['/api/health/', '/api/health']) {
      const answer = await get(`${url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({ status: 'ok' });
    }
  });

  it('follows API_PREFIX', async () => {
    const { url } = await start({}, { API_PREFIX: '/orders/v1/' });
    expect((await get(`${url}/orders/v1/health/`)).status).toBe(200);
    expect((await get(`${url}/orders/v1/ping`)).status).toBe(200);
    expect((await get(`${url}/api/health/`)).status).toBe(404);
  });

  it('ping answers 200 {"status":"ok"} without touching a dependency', async () => {
    let runs = 0;
    const { url } = await start({ checks: [{ name: 'db', check: () => (runs++, false) }] });
    const answer = await get(`${url}/api/ping`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
    expect(runs).toBe(0);
  });

  it('ping answers even before the app is ready (liveness, not readiness)', async () => {
    const running = await serveUnstarted({});
    open.push(running);
    expect((await get(`${running.url}/api/ping`)).status).toBe(200);
    expect((await get(`${running.url}/api/health/`)).status).toBe(503);
  });
});
