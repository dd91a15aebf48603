import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import { AppEvents, type AppContext, type M8Plugin } from '@m8/core';
import { METRICS_REGISTRY, MetricsPlugin, MetricsPluginReusedError, metrics } from '@m8/metrics';
import { families, valueOf } from './support/exposition';
import { metricsSettings, startMetricsApp, type MetricsApp } from './support/metrics-app';

const HTTP_FAMILIES = ['api_http_errors_total', 'api_http_request_duration_seconds', 'api_http_requests_total', 'api_http_status_total'];
const AUTH_FAMILIES = [
  'api_auth_revocation_cache_lookups_total',
  'api_auth_revocation_check_duration_seconds',
  'api_auth_revocation_checks_total',
  'api_auth_service_token_exchanges_total',
  'api_auth_token_validation_failures_total',
];
const HEALTH_FAMILIES = ['api_health_check_latency_seconds', 'api_health_check_status'];

const apps: MetricsApp[] = [];
async function start(overrides: Record<string, unknown> = {}, explicitPlugin = true): Promise<MetricsApp> {
  const app = await startMetricsApp({ settings: metricsSettings(overrides), explicitPlugin });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** The m8 families of a scrape (process metrics left out). */
async function m8Families(app: MetricsApp): Promise<string[]> {
  return families(await app.scrape()).filter((name) => !name.startsWith('process_') && !name.startsWith('nodejs_'));
}

describe('METRICS_GROUPS', () => {
  it('registers every group with all', async () => {
    const app = await start({ METRICS_GROUPS: 'all' });
    await app.get('/api/probe/ok');
    expect(await m8Families(app)).toEqual([...AUTH_FAMILIES, ...HEALTH_FAMILIES, ...HTTP_FAMILIES].sort());
  });

  it.each([
    ['traffic', ['api_http_requests_total']],
    ['performance', ['api_http_request_duration_seconds']],
    ['reliability', ['api_http_errors_total']],
    ['health', [...HEALTH_FAMILIES, 'api_http_status_total']],
    ['auth', AUTH_FAMILIES],
    ['traffic,reliability', ['api_http_errors_total', 'api_http_requests_total']],
  ])('registers only the %s group', async (groups, expected) => {
    const app = await start({ METRICS_GROUPS: groups });
    await app.get('/api/probe/ok');
    await app.get('/api/probe/boom');
    expect(await m8Families(app)).toEqual([...expected].sort());
  });

  it('mounts no middleware when no HTTP group is on (a disabled group costs nothing)', () => {
    const used: string[] = [];
    const routes: string[] = [];
    const plugin = metrics();
    plugin.setup(fakeContext(used, routes, metricsSettings({ METRICS_GROUPS: 'auth' })));
    expect(used).toEqual([]);
    expect(routes).toEqual(['/metrics']);

    const traffic: string[] = [];
    metrics().setup(fakeContext(traffic, [], metricsSettings({ METRICS_GROUPS: 'traffic' })));
    expect(traffic).toEqual(['observe']);
  });
});

describe('names and registries', () => {
  it('derives the prefix from API_PREFIX: none for an empty prefix', async () => {
    const app = await start({ API_PREFIX: '', METRICS_GROUPS: 'traffic' });
    await app.get('/probe/ok');
    const exposition = await app.scrape();
    expect(valueOf(exposition, 'http_requests_total', { method: 'GET', endpoint: '/probe/ok', status_code: '200' })).toBe(1);
  });

  it('derives api_v1_ from /api/v1', async () => {
    const app = await start({ API_PREFIX: '/api/v1', METRICS_GROUPS: 'traffic' });
    await app.get('/api/v1/probe/ok');
    const exposition = await app.scrape();
    expect(valueOf(exposition, 'api_v1_http_requests_total', { method: 'GET', endpoint: '/api/v1/probe/ok', status_code: '200' })).toBe(1);
  });

  it('keeps two apps in one process on independent registries, process metrics in both', async () => {
    const a = await start();
    const b = await start();
    await a.get('/api/probe/ok');
    await a.get('/api/probe/ok');
    await b.get('/api/probe/ok');
    const labels = { method: 'GET', endpoint: '/api/probe/ok', status_code: '200' };
    expect(valueOf(await a.scrape(), 'api_http_requests_total', labels)).toBe(2);
    expect(valueOf(await b.scrape(), 'api_http_requests_total', labels)).toBe(1);
    expect(a.plugin!.registry).not.toBe(b.plugin!.registry);
    for (const app of [a, b]) {
      const names = families(await app.scrape());
      expect(names).toContain('process_cpu_user_seconds_total');
      expect(names).toContain('nodejs_heap_size_used_bytes');
    }
  });

  it('creates many apps in one process without a registration clash', async () => {
    const plugins = Array.from({ length: 25 }, () => metrics());
    for (const plugin of plugins) plugin.setup(fakeContext([], []));
    const text = await plugins[24]!.registry.metrics();
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('refuses to set one plugin instance up in a second app', () => {
    const plugin = metrics();
    plugin.setup(fakeContext([], []));
    expect(() => plugin.setup(fakeContext([], []))).toThrow(MetricsPluginReusedError);
    try {
      plugin.setup(fakeContext([], []));
    } catch (error) {
      expect((error as MetricsPluginReusedError).code).toBe('ERR_M8_METRICS_PLUGIN_REUSED');
    }
  });

  it("puts the app's registry in its container for the service's own metrics", async () => {
    const app = await start();
    const registry = app.app.container.resolve<Registry>(METRICS_REGISTRY);
    expect(registry).toBe(app.plugin!.registry);
    const { Counter } = await import('prom-client');
    new Counter({ name: 'orders_placed_total', help: 'Orders', registers: [registry] }).inc(3);
    expect(valueOf(await app.scrape(), 'orders_placed_total')).toBe(3);
  });
});

describe('the plugin', () => {
  it('metrics() returns an M8Plugin named metrics, of @m8/metrics', () => {
    const plugin = metrics();
    expect(plugin).toBeInstanceOf(MetricsPlugin);
    expect(plugin.name).toBe('metrics');
    expect(plugin.package.name).toBe('@m8/metrics');
    expect(plugin.package.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is typed as the M8Plugin core expects, and takes its configuration from the app settings', () => {
    const plugin: M8Plugin = metrics();
    expect(typeof plugin.setup).toBe('function');
    // @ts-expect-error the settings come from the app, not from the factory
    metrics(metricsSettings());
  });

  it('must be listed: METRICS_ENABLED=true without it fails at start', async () => {
    await expect(start({ METRICS_GROUPS: 'traffic' }, false)).rejects.toMatchObject({ code: 'ERR_M8_MISSING_PLUGIN' });
  });
});

function fakeContext(used: string[], routes: string[], settings = metricsSettings()): AppContext {
  return {
    settings,
    controllers: [],
    container: { register: () => undefined, isRegistered: () => false } as unknown as AppContext['container'],
    logger: { debug: () => undefined } as unknown as AppContext['logger'],
    events: new AppEvents(),
    state: 'initializing',
    plugins: [],
    authorize: () => undefined,
    serviceName: 'fake',
    serviceVersion: '0.0.0',
    apiPrefix: settings.apiPrefix,
    use: (stage) => void used.push(stage),
    route: (route) => void routes.push(...route.paths),
    onClose: () => undefined,
  };
}
