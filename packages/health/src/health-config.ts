/**
 * `HealthConfig`: the health plugin of `bootstrap()`'s `plugins`. Validates its options once, at
 * construction, and mounts the health and ping routes on each app it is given.
 */
import type { AppContext, M8Plugin, PackageInfo } from '@m8/core';
import { healthRoutes } from './endpoint';
import { resolveHealthOptions, type HealthOptions, type ResolvedHealthOptions } from './options';
import { HEALTH_PACKAGE } from './version';

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
    for (const route of healthRoutes(app, this.options)) app.route(route);
  }
}
