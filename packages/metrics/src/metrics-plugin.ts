/**
 * The metrics plugin: one prom-client `Registry` per app, the metric groups chosen by
 * `METRICS_GROUPS`, and `GET /metrics`. Listed in `bootstrap()`'s `plugins` as `metrics()` (core
 * refuses `METRICS_ENABLED=true` without it); a disabled group registers nothing and observes
 * nothing, and with no HTTP group no middleware is mounted.
 */
import { CLUSTER_MEMBER, M8Error, type AppContext, type M8Plugin, type MetricsGroup, type PackageInfo } from '@m8/core';
import { readPackageInfo, routeTemplate } from '@m8/core/internal';
import { Registry } from 'prom-client';
import { clusterExposition } from './cluster-metrics';
import { observeAuth } from './auth-metrics';
import { observeHealthChecks } from './health-metrics';
import { HttpMetrics } from './http-metrics';
import { metricPrefix } from './labels';
import { registerProcessMetrics } from './process-metrics';
import { metricsRoute } from './scrape-route';

/** This package as core's compatibility and duplicate-copy checks see it. */
export const METRICS_PACKAGE: PackageInfo = readPackageInfo(__dirname, '@m8/metrics');

/**
 * DI token under which each app's container holds its prom-client `Registry`, so a service can add
 * its own metrics next to m8's: `app.container.resolve<Registry>(METRICS_REGISTRY)`.
 */
export const METRICS_REGISTRY: unique symbol = Symbol.for('m8.metrics.registry');

/** Thrown when one plugin instance is given to a second app: each app needs its own registry. */
export class MetricsPluginReusedError extends M8Error {
  static override readonly code = 'ERR_M8_METRICS_PLUGIN_REUSED';
  override readonly code = MetricsPluginReusedError.code;
  constructor() {
    super('This metrics plugin is already set up in another app; call metrics() once per app.');
  }
}

/** Every code @m8/metrics' errors carry (see packages/metrics/README.md). */
export type MetricsErrorCode = 'ERR_M8_METRICS_PLUGIN_REUSED' | 'ERR_M8_METRICS_LABEL_RESERVED';

/** The metrics plugin for one app. Create one per app (`metrics()`). */
export class MetricsPlugin implements M8Plugin {
  readonly name = 'metrics';
  readonly package: PackageInfo = METRICS_PACKAGE;
  /** This app's registry; never prom-client's global one. */
  readonly registry: Registry = new Registry();
  private used = false;

  setup(app: AppContext): void {
    if (this.used) throw new MetricsPluginReusedError();
    this.used = true;
    const { registry } = this;
    const settings = app.settings;
    const prefix = metricPrefix(settings.apiPrefix);
    const groups: ReadonlySet<MetricsGroup> = settings.metricsGroups;

    registerProcessMetrics(registry);
    const http = new HttpMetrics({ registry, prefix, groups, routeTemplate });
    if (http.active) app.use('observe', http.middleware());
    if (groups.has('auth')) {
      const off = observeAuth({
        registry,
        prefix,
        events: app.events,
        checksRevocation: settings.checksRevocation,
        exchangesServiceTokens: settings.checksRevocation && settings.clientIdentityMode === 'service_token',
      });
      app.onClose('metrics.auth', off);
    }
    if (groups.has('health')) app.onClose('metrics.health', observeHealthChecks({ registry, prefix, events: app.events }));

    app.container.register(METRICS_REGISTRY, { useValue: registry });
    // In a worker of a WORKERS > 1 service, /metrics answers for every worker (whichever one the scrape reaches).
    const member = app.container.isRegistered(CLUSTER_MEMBER, true) ? app.container.resolve(CLUSTER_MEMBER) : undefined;
    app.route(metricsRoute(registry, settings.METRICS_SCRAPE_CREDENTIAL, member && clusterExposition(registry, member)));
    app.logger.debug({ event: 'metrics', prefix, groups: [...groups], observesRequests: http.active }, 'metrics enabled');
  }
}

/**
 * The metrics plugin, configured from the app's settings (`API_PREFIX`, `METRICS_GROUPS`,
 * `METRICS_SCRAPE_CREDENTIAL`): `bootstrap(settings, { controllers, plugins: [metrics()] })`.
 * Listed, it serves metrics whatever `METRICS_ENABLED` says; list it when the setting is true.
 */
export function metrics(): MetricsPlugin {
  return new MetricsPlugin();
}
