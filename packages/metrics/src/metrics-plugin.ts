/**
 * The metrics plugin: one prom-client `Registry` per app, the metric groups chosen by
 * `METRICS_GROUPS`, and `GET /metrics`. Core loads it when `METRICS_ENABLED=true`; a disabled
 * group registers nothing and observes nothing, and with no HTTP group no middleware is mounted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routeTemplate, type AppContext, type ConsumerServiceSettings, type M8Plugin, type MetricsGroup } from '@m8/core';
import { Registry } from 'prom-client';
import { observeAuth } from './auth-metrics';
import { observeHealthChecks } from './health-metrics';
import { HttpMetrics } from './http-metrics';
import { metricPrefix } from './labels';
import { registerProcessMetrics } from './process-metrics';
import { metricsRoute } from './scrape-route';

/** The installed @m8/metrics version (read from package.json, valid from src/ and dist/ alike). */
export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * DI token under which each app's container holds its prom-client `Registry`, so a service can add
 * its own metrics next to m8's: `app.container.resolve<Registry>(METRICS_REGISTRY)`.
 */
export const METRICS_REGISTRY: unique symbol = Symbol.for('m8.metrics.registry');

/** Thrown when one plugin instance is given to a second app: each app needs its own registry. */
export class MetricsPluginReusedError extends Error {
  readonly code = 'ERR_M8_METRICS_PLUGIN_REUSED';
  constructor() {
    super('This metrics plugin is already set up in another app; call createMetricsPlugin(settings) once per app.');
    this.name = 'MetricsPluginReusedError';
  }
}

/** The metrics plugin for one app. Create one per app (`createMetricsPlugin`). */
export class MetricsPlugin implements M8Plugin {
  readonly name = 'metrics';
  readonly package = { name: '@m8/metrics', version: VERSION };
  /** This app's registry; never prom-client's global one. */
  readonly registry: Registry = new Registry();
  readonly prefix: string;
  readonly groups: ReadonlySet<MetricsGroup>;
  private used = false;

  constructor(private readonly settings: ConsumerServiceSettings) {
    this.prefix = metricPrefix(settings.apiPrefix);
    this.groups = settings.metricsGroups;
  }

  setup(app: AppContext): void {
    if (this.used) throw new MetricsPluginReusedError();
    this.used = true;
    const { registry, prefix, groups } = this;

    registerProcessMetrics(registry);
    const http = new HttpMetrics({ registry, prefix, groups, routeTemplate });
    if (http.active) app.use('observe', http.middleware());
    if (groups.has('auth')) {
      const off = observeAuth({ registry, prefix, events: app.events, checksRevocation: this.settings.checksRevocation });
      app.onClose('metrics.auth', off);
    }
    if (groups.has('health')) app.onClose('metrics.health', observeHealthChecks({ registry, prefix, events: app.events }));

    app.container.register(METRICS_REGISTRY, { useValue: registry });
    app.route(metricsRoute(registry, this.settings.METRICS_SCRAPE_CREDENTIAL));
    app.logger.debug({ event: 'metrics', prefix, groups: [...groups], observesRequests: http.active }, 'metrics enabled');
  }
}

/**
 * The plugin core loads for `METRICS_ENABLED=true`. Pass it yourself to enable metrics regardless
 * of that flag: `bootstrap(settings, { controllers, plugins: [createMetricsPlugin(settings)] })`.
 */
export function createMetricsPlugin(settings: ConsumerServiceSettings): MetricsPlugin {
  return new MetricsPlugin(settings);
}
