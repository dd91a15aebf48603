import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEALTH_CHECKS } from '../src/health-metrics';
import { valueOf } from './support/exposition';
import { metricsSettings, startMetricsApp, type MetricsApp } from './support/metrics-app';

const STATUS = 'api_health_check_status';
const LATENCY = 'api_health_check_latency_seconds';

describe('health group: per-check status and latency', () => {
  let t: MetricsApp;
  beforeAll(async () => {
    t = await startMetricsApp({ settings: metricsSettings({ METRICS_GROUPS: 'health' }) });
  });
  afterAll(() => t.close());

  it("sets the check's current status to 1, the others to 0, and its latency in seconds", async () => {
    t.app.events.emit('health.check', { name: 'database', status: 'ok', latencyMs: 12 });
    let exposition = await t.scrape();
    expect(valueOf(exposition, STATUS, { check: 'database', status: 'ok' })).toBe(1);
    expect(valueOf(exposition, STATUS, { check: 'database', status: 'fail' })).toBe(0);
    expect(valueOf(exposition, STATUS, { check: 'database', status: 'degraded' })).toBe(0);
    expect(valueOf(exposition, STATUS, { check: 'database', status: 'unknown' })).toBe(0);
    expect(valueOf(exposition, LATENCY, { check: 'database' })).toBeCloseTo(0.012);

    t.app.events.emit('health.check', { name: 'database', status: 'fail', latencyMs: 500 });
    exposition = await t.scrape();
    expect(valueOf(exposition, STATUS, { check: 'database', status: 'ok' })).toBe(0);
    expect(valueOf(exposition, STATUS, { check: 'database', status: 'fail' })).toBe(1);
    expect(valueOf(exposition, LATENCY, { check: 'database' })).toBeCloseTo(0.5);
  });

  it('maps a status outside ok|degraded|fail|unknown to unknown', async () => {
    t.app.events.emit('health.check', { name: 'cache', status: 'weird', latencyMs: 1 });
    const exposition = await t.scrape();
    expect(valueOf(exposition, STATUS, { check: 'cache', status: 'unknown' })).toBe(1);
    expect(exposition.samples.some((s) => s.labels.status === 'weird')).toBe(false);
  });

  it(`tracks at most ${MAX_HEALTH_CHECKS} distinct checks`, async () => {
    for (let i = 0; i < MAX_HEALTH_CHECKS + 20; i++) t.app.events.emit('health.check', { name: `check-${i}`, status: 'ok', latencyMs: 1 });
    const exposition = await t.scrape();
    const checks = new Set(exposition.samples.filter((s) => s.name === LATENCY).map((s) => s.labels.check));
    expect(checks.size).toBe(MAX_HEALTH_CHECKS);
    expect(checks.has('database')).toBe(true);
  });

  it('also counts responses by exact status code', async () => {
    await t.get('/api/probe/ok');
    await t.get('/api/probe/private');
    const exposition = await t.scrape();
    expect(valueOf(exposition, 'api_http_status_total', { status_code: '401' })).toBe(1);
    expect(exposition.samples.some((s) => s.name === 'api_http_requests_total')).toBe(false);
  });
});
