/**
 * `HealthConfig`: the health plugin of `bootstrap()`'s `plugins`. Validates its options once, at
 * construction, and mounts the health and ping routes on each app it is given.
 */
import { CLUSTER_MEMBER, type AppContext, type M8Plugin, type PackageInfo } from '@m8/core';
import { healthRoutes } from './endpoint';
import { resolveHealthOptions, type HealthOptions, type ResolvedHealthOptions } from './options';
import { HEALTH_PACKAGE } from './version';
import { workersCheck, WORKERS_CHECK } from './workers-check';

/**
 * Readiness and liveness for an m8 service.
 *
 * @example
 * const health = new HealthConfig({
 *   checks: [{ name: 'cache', check: async () => (await redis.ping()) === 'PONG' }],
 *   timeout: 0.5,
 *   policy: HealthPolicy.STRICT,
 * });
 * const app = await bootstrap(settings, { controllers, serviceName, serviceVersion, plugins: [health] });
 */
export class HealthConfig implements M8Plugin {
  readonly name = 'health';
  readonly package: PackageInfo = HEALTH_PACKAGE;
  /** The validated, frozen options. */
  readonly options: ResolvedHealthOptions;

  /** @throws HealthOptionsError (`ERR_M8_HEALTH_OPTIONS`) listing every problem of `options`. */
  constructor(options: HealthOptions = {}) {
    this.options = resolveHealthOptions(options);
  }

  /** Called by `bootstrap()`: mounts `{API_PREFIX}/health/` (with and without the slash) and `{API_PREFIX}/ping`. */
  setup(app: AppContext): void {
    let options = this.options;
    // A cluster worker (WORKERS > 1) also reports how many of the service's workers are ready.
    if (app.container.isRegistered(CLUSTER_MEMBER, true) && !options.checks.some((c) => c.name === WORKERS_CHECK)) {
      options = { ...options, checks: [...options.checks, workersCheck(app.container.resolve(CLUSTER_MEMBER))] };
    }
    for (const route of healthRoutes(app, options)) app.route(route);
  }
}
