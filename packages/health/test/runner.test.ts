import { describe, expect, it, vi } from 'vitest';
import { HealthCheckResult, type HealthCheck } from '@m8/health';
import { HealthRunner, type HealthRunnerOptions } from '../src/runner';
import type { CheckReport } from '../src/report';

function runner(checks: HealthCheck[], options: Partial<HealthRunnerOptions> = {}): HealthRunner {
  return new HealthRunner({ checks, timeoutMs: 100, policy: 'lenient', cacheTtlMs: 0, ...options });
}

const snapshot = (r: HealthRunner) => Promise.resolve(r.current());

describe('HealthRunner', () => {
  it('runs the checks concurrently', async () => {
    // Each check finishes only once all three have started: run one after another, the first would time out.
    let started = 0;
    let allStarted!: () => void;
    const barrier = new Promise<void>((resolve) => (allStarted = resolve));
    const waiting = (name: string): HealthCheck => ({
      name,
      check: async () => {
        if (++started === 3) allStarted();
        await barrier;
        return true;
      },
    });
    const result = await snapshot(runner([waiting('a'), waiting('b'), waiting('c')], { timeoutMs: 10_000 }));
    expect(started).toBe(3);
    expect(result.status).toBe('ok');
    expect(result.checks.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('fails a hanging check with "timeout <ms>ms", aborts its signal, and answers in time', async () => {
    let aborted: AbortSignal | undefined;
    const hanging: HealthCheck = {
      name: 'hang',
      check: ({ signal }) => {
        aborted = signal;
        return new Promise<boolean>(() => undefined);
      },
    };
    // Timing is the behaviour: the answer comes at the timeout (never before), within a margin a loaded machine keeps.
    const started = performance.now();
    const result = await snapshot(runner([hanging], { timeoutMs: 200 }));
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(200 + 2_000);
    expect(result.checks[0]).toMatchObject({ status: 'fail', error: 'timeout 200ms', ok: false });
    expect(aborted?.aborted).toBe(true);
    expect(result.status).toBe('fail');
  });

  it('turns throws (sync and async) into fail with the scrubbed message only', async () => {
    const result = await snapshot(
      runner([
        { name: 'async', check: async () => Promise.reject(new Error('ECONNREFUSED redis://u:pw@cache:6379')) },
        {
          name: 'sync',
          check: () => {
            throw Object.assign(new Error('bad\n  at secret.js:1'), { query: 'SELECT 1' });
          },
        },
      ]),
    );
    expect(result.checks.map((c) => [c.status, c.error])).toEqual([
      ['fail', 'ECONNREFUSED redis://***:***@cache:6379'],
      ['fail', 'bad'],
    ]);
  });

  it('scrubs the error and redacts the meta of a returned result', async () => {
    const result = await snapshot(
      runner([{ name: 'db', check: async () => HealthCheckResult.degraded('slow at mysql://a:b@h/x', { password: 'p', pool: { size: 5 } }) }]),
    );
    expect(result.checks[0]).toMatchObject({
      status: 'degraded',
      error: 'slow at mysql://***:***@h/x',
      meta: { password: 'REDACTED', pool: { size: 5 } },
      ok: false,
    });
  });

  it('shares one run between concurrent callers (single-flight)', async () => {
    let runs = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const r = runner([{ name: 'slow', check: async () => (runs++, await finished, true) }], { timeoutMs: 10_000 });
    const pending = Array.from({ length: 100 }, () => snapshot(r)); // all ask while the one run is in flight
    finish();
    const results = await Promise.all(pending);
    expect(runs).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('reuses a snapshot for cacheTtl, synchronously, then runs again', async () => {
    let runs = 0;
    const r = runner([{ name: 'c', check: () => (runs++, true) }], { cacheTtlMs: 1_000 });
    const first = await snapshot(r);
    const cached = r.current();
    expect(cached).toBe(first); // not a promise: the hot path allocates nothing
    expect(runs).toBe(1);
    // The snapshot expires after the TTL: ask until it has (a fresh run), never guessing how long that takes here.
    const started = performance.now();
    await vi.waitFor(async () => expect(await snapshot(r)).not.toBe(first), { timeout: 10_000, interval: 50 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    expect(runs).toBe(2);
  });

  it('with cacheTtl 0 runs every time', async () => {
    let runs = 0;
    const r = runner([{ name: 'c', check: () => (runs++, true) }]);
    await snapshot(r);
    await snapshot(r);
    expect(runs).toBe(2);
  });

  it('reports each run of each check once, even when a listener throws', async () => {
    const seen: CheckReport[] = [];
    const r = runner(
      [
        { name: 'a', check: () => true },
        { name: 'b', check: () => HealthCheckResult.unknown() },
      ],
      {
        onCheck: (report) => {
          seen.push(report);
          throw new Error('listener bug');
        },
      },
    );
    const result = await snapshot(r);
    expect(result.status).toBe('unknown');
    expect(seen.map((s) => [s.name, s.status])).toEqual([
      ['a', 'ok'],
      ['b', 'unknown'],
    ]);
    expect(seen.every((s) => typeof s.latencyMs === 'number' && s.latencyMs >= 0)).toBe(true);
  });

  it('calls a class check as a method, keeping its state', async () => {
    class Flaky implements HealthCheck {
      readonly name = 'flaky';
      private runs = 0;
      check(): HealthCheckResult {
        this.runs += 1;
        return this.runs > 1 ? HealthCheckResult.ok({ runs: this.runs }) : HealthCheckResult.fail('first run');
      }
    }
    const r = runner([new Flaky()]);
    expect((await snapshot(r)).status).toBe('fail');
    expect((await snapshot(r)).checks[0]?.meta).toEqual({ runs: 2 });
  });

  it('renders the detail body once per snapshot, in the contract shape', async () => {
    const result = await snapshot(runner([{ name: 'a', check: () => true }]));
    const body = result.detailBody('"service":"s"');
    expect(result.detailBody('ignored')).toBe(body);
    const parsed = JSON.parse(body);
    expect(Object.keys(parsed)).toEqual(['status', 'checks', 'service']);
    expect(Object.keys(parsed.checks[0])).toEqual(['name', 'status', 'latency_ms', 'error', 'meta', 'ok']);
  });
});
