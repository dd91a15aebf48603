import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Koa from 'koa';
import { Registry } from 'prom-client';
import { UNMATCHED_ROUTE } from '@m8/core/internal';
import { HttpMetrics } from '../src/http-metrics';
import { HTTP_DURATION_BUCKETS } from '../src/labels';
import { parseExposition, seriesKeys, valueOf, type Exposition } from './support/exposition';
import { pool, startMetricsApp, type MetricsApp } from './support/metrics-app';

const REQUESTS = 'api_http_requests_total';
const DURATION = 'api_http_request_duration_seconds';
const ERRORS = 'api_http_errors_total';
const STATUS = 'api_http_status_total';

const count = (e: Exposition, name: string, labels: Record<string, string>): number => valueOf(e, name, labels) ?? 0;

let t: MetricsApp;
beforeAll(async () => {
  t = await startMetricsApp();
});
afterAll(() => t.close());

describe('HTTP metrics through a real app', () => {
  it('counts 200, 401, 404 and 500 with the matched route template as endpoint', async () => {
    const before = await t.scrape();
    expect((await t.get('/api/probe/ok')).status).toBe(200);
    expect((await t.get('/api/probe/items/42')).status).toBe(200);
    expect((await t.get('/api/probe/items/43')).status).toBe(200);
    const unauthorised = await t.get('/api/probe/private');
    expect(unauthorised.status).toBe(401);
    expect(JSON.parse(unauthorised.text)).toEqual({ detail: 'Not authenticated' });
    expect((await t.get('/api/no/such/route')).status).toBe(404);
    expect((await t.get('/api/probe/boom')).status).toBe(500);
    const after = await t.scrape();

    const moved = (name: string, labels: Record<string, string>): number => count(after, name, labels) - count(before, name, labels);
    expect(moved(REQUESTS, { method: 'GET', endpoint: '/api/probe/ok', status_code: '200' })).toBe(1);
    expect(moved(REQUESTS, { method: 'GET', endpoint: '/api/probe/items/:id', status_code: '200' })).toBe(2);
    expect(moved(REQUESTS, { method: 'GET', endpoint: '/api/probe/private', status_code: '401' })).toBe(1);
    expect(moved(REQUESTS, { method: 'GET', endpoint: UNMATCHED_ROUTE, status_code: '404' })).toBe(1);
    expect(moved(REQUESTS, { method: 'GET', endpoint: '/api/probe/boom', status_code: '500' })).toBe(1);

    expect(moved(ERRORS, { method: 'GET', endpoint: '/api/probe/private', status_class: '4xx' })).toBe(1);
    expect(moved(ERRORS, { method: 'GET', endpoint: UNMATCHED_ROUTE, status_class: '4xx' })).toBe(1);
    expect(moved(ERRORS, { method: 'GET', endpoint: '/api/probe/boom', status_class: '5xx' })).toBe(1);
    expect(after.samples.some((s) => s.name === ERRORS && s.labels.endpoint === '/api/probe/ok')).toBe(false);

    expect(moved(STATUS, { status_code: '200' })).toBe(4); // 3 probes + the first scrape
    expect(moved(STATUS, { status_code: '401' })).toBe(1);
    expect(moved(STATUS, { status_code: '404' })).toBe(1);
    expect(moved(STATUS, { status_code: '500' })).toBe(1);

    for (const endpoint of ['/api/probe/ok', '/api/probe/private', UNMATCHED_ROUTE, '/api/probe/boom']) {
      expect(moved(`${DURATION}_count`, { method: 'GET', endpoint })).toBe(1);
      expect(moved(`${DURATION}_bucket`, { method: 'GET', endpoint, le: '+Inf' })).toBe(1);
    }
    expect(moved(`${DURATION}_count`, { method: 'GET', endpoint: '/api/probe/items/:id' })).toBe(2);
    // The raw path never becomes a label value.
    expect(after.samples.some((s) => Object.values(s.labels).some((v) => v.includes('/42') || v.includes('/no/such')))).toBe(false);
  });

  it('puts each duration in the right buckets (.005 to 10 s), cumulatively', async () => {
    const before = await t.scrape();
    expect((await t.get('/api/probe/slow')).status).toBe(200); // sleeps 40 ms
    const after = await t.scrape();
    const labels = { method: 'GET', endpoint: '/api/probe/slow' };
    const bucket = (le: string): number => count(after, `${DURATION}_bucket`, { ...labels, le }) - count(before, `${DURATION}_bucket`, { ...labels, le });
    expect(after.samples.filter((s) => s.name === `${DURATION}_bucket` && s.labels.endpoint === '/api/probe/slow').map((s) => s.labels.le)).toEqual([
      ...HTTP_DURATION_BUCKETS.map(String),
      '+Inf',
    ]);
    expect(bucket('0.005')).toBe(0);
    expect(bucket('0.025')).toBe(0);
    expect(bucket('1')).toBe(1);
    expect(bucket('10')).toBe(1);
    expect(bucket('+Inf')).toBe(1);
    const sum = count(after, `${DURATION}_sum`, labels) - count(before, `${DURATION}_sum`, labels);
    expect(sum).toBeGreaterThanOrEqual(0.039);
    expect(sum).toBeLessThan(1);
    expect(after.types.get(DURATION)).toBe('histogram');
  });

  it('counts a 413 from the body limit, before any route matched', async () => {
    const before = await t.scrape();
    const res = await t.get('/api/probe/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(4096) }) });
    expect(res.status).toBe(413);
    const after = await t.scrape();
    const labels = { method: 'POST', endpoint: UNMATCHED_ROUTE, status_code: '413' };
    expect(count(after, REQUESTS, labels) - count(before, REQUESTS, labels)).toBe(1);
    expect(count(after, STATUS, { status_code: '413' }) - count(before, STATUS, { status_code: '413' })).toBe(1);
  });

  it('labels an unknown HTTP method OTHER', async () => {
    const res = await t.get('/api/probe/ok', { method: 'PROPFIND' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const after = await t.scrape();
    expect(count(after, REQUESTS, { method: 'OTHER', endpoint: UNMATCHED_ROUTE, status_code: String(res.status) })).toBe(1);
    expect(after.samples.some((s) => s.labels.method === 'PROPFIND')).toBe(false);
  });

  it('counts the scrape itself under the fixed /metrics template', async () => {
    await t.scrape();
    const after = await t.scrape();
    expect(count(after, REQUESTS, { method: 'GET', endpoint: '/metrics', status_code: '200' })).toBeGreaterThanOrEqual(1);
  });

  it('counts CORS preflight answers, allowed (204) and refused (400)', async () => {
    const before = await t.scrape();
    const preflight = (origin: string) => t.get('/api/probe/ok', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
    expect((await preflight('http://localhost:5173')).status).toBe(204);
    expect((await preflight('https://evil.example.com')).status).toBe(400);
    const after = await t.scrape();
    const delta = (code: string) =>
      count(after, REQUESTS, { method: 'OPTIONS', endpoint: UNMATCHED_ROUTE, status_code: code }) - count(before, REQUESTS, { method: 'OPTIONS', endpoint: UNMATCHED_ROUTE, status_code: code });
    expect(delta('204')).toBe(1);
    expect(delta('400')).toBe(1);
  });

  it('adds no series for 10,000 requests to random unknown paths', async () => {
    await t.get(`/api/warm-up-${Math.random()}`); // make sure the <unmatched> 404 series exist
    await t.scrape(); // and the /metrics series
    const before = await t.scrape();
    await pool(10_000, 32, async () => {
      const path = `/${Math.random().toString(36).slice(2)}/${Math.random().toString(36).slice(2)}?q=${Math.random()}`;
      const res = await t.get(Math.random() < 0.5 ? path : `/api${path}`);
      if (res.status !== 404) throw new Error(`expected 404, got ${res.status}`);
    });
    const after = await t.scrape();
    expect([...seriesKeys(after)].filter((k) => k.startsWith('api_')).sort()).toEqual([...seriesKeys(before)].filter((k) => k.startsWith('api_')).sort());
    const labels = { method: 'GET', endpoint: UNMATCHED_ROUTE, status_code: '404' };
    expect(count(after, REQUESTS, labels) - count(before, REQUESTS, labels)).toBe(10_000);
  }, 30_000);
});

describe('HttpMetrics middleware on a bare Koa app', () => {
  it('counts an error that escapes every layer as the 500 Koa answers, and rethrows it', async () => {
    const registry = new Registry();
    const metrics = new HttpMetrics({ registry, prefix: '', groups: new Set(['traffic', 'reliability']), routeTemplate: () => '/fixed' });
    const koa = new Koa();
    koa.silent = true;
    koa.use(metrics.middleware());
    koa.use(() => {
      throw new Error('escaped');
    });
    const server = koa.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(500);
      const exposition = parseExposition(await registry.metrics());
      expect(valueOf(exposition, 'http_requests_total', { method: 'GET', endpoint: '/fixed', status_code: '500' })).toBe(1);
      expect(valueOf(exposition, 'http_errors_total', { method: 'GET', endpoint: '/fixed', status_class: '5xx' })).toBe(1);
      expect(exposition.types.has('http_request_duration_seconds')).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('registers nothing and mounts nothing when no HTTP group is on', () => {
    const registry = new Registry();
    const metrics = new HttpMetrics({ registry, prefix: '', groups: new Set(['auth']), routeTemplate: () => '/fixed' });
    expect(metrics.active).toBe(false);
    expect(registry.getMetricsAsArray()).toEqual([]);
  });
});
