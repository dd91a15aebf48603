import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerCredential } from '../src/scrape-route';
import { parseExposition } from './support/exposition';
import { metricsSettings, startMetricsApp, type MetricsApp } from './support/metrics-app';

const CREDENTIAL = 'scrape-credential-0123456789';

describe('GET /metrics', () => {
  let open: MetricsApp;
  beforeAll(async () => {
    open = await startMetricsApp();
  });
  afterAll(() => open.close());

  it('answers Prometheus text with the registry content type, not cacheable', async () => {
    const res = await open.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const exposition = parseExposition(res.text);
    expect(exposition.types.get('api_http_requests_total')).toBe('counter');
    expect(exposition.types.get('process_cpu_user_seconds_total')).toBe('counter');
  });

  it('is served at the root, never under API_PREFIX', async () => {
    expect((await open.get('/api/metrics')).status).toBe(404);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await open.get('/metrics', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});

describe('METRICS_SCRAPE_CREDENTIAL', () => {
  let guarded: MetricsApp;
  beforeAll(async () => {
    guarded = await startMetricsApp({ settings: metricsSettings({ METRICS_SCRAPE_CREDENTIAL: CREDENTIAL }) });
  });
  afterAll(() => guarded.close());

  it('serves a scrape with the right bearer credential', async () => {
    const res = await guarded.get('/metrics', { headers: { authorization: `Bearer ${CREDENTIAL}` } });
    expect(res.status).toBe(200);
    expect(parseExposition(res.text).types.has('api_http_requests_total')).toBe(true);
  });

  it('accepts the scheme in any case', async () => {
    expect((await guarded.get('/metrics', { headers: { authorization: `bearer ${CREDENTIAL}` } })).status).toBe(200);
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'Bearer not-the-credential'],
    ['a prefix of the right one', `Bearer ${CREDENTIAL.slice(0, -1)}`],
    ['right value, wrong scheme', `Basic ${CREDENTIAL}`],
    ['empty bearer', 'Bearer '],
  ])('refuses a %s credential with 401 Not authenticated and WWW-Authenticate: Bearer', async (_, header) => {
    const res = await guarded.get('/metrics', { headers: header === undefined ? {} : { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Not authenticated' });
    expect(res.text).not.toContain('http_requests_total');
  });

  it('counts refused scrapes as 401s of the /metrics endpoint', async () => {
    await guarded.get('/metrics');
    const exposition = parseExposition((await guarded.get('/metrics', { headers: { authorization: `Bearer ${CREDENTIAL}` } })).text);
    const refused = exposition.samples.find(
      (s) => s.name === 'api_http_requests_total' && s.labels.endpoint === '/metrics' && s.labels.status_code === '401',
    );
    expect(refused?.value).toBeGreaterThanOrEqual(1);
  });
});

describe('bearerCredential', () => {
  it('extracts the credential of a Bearer header', () => {
    expect(bearerCredential('Bearer abc')).toBe('abc');
    expect(bearerCredential('  BEARER   abc  ')).toBe('abc');
    expect(bearerCredential('Basic abc')).toBeUndefined();
    expect(bearerCredential('Bearer')).toBeUndefined();
    expect(bearerCredential('Bearer a b')).toBeUndefined();
    expect(bearerCredential(undefined)).toBeUndefined();
  });
});
