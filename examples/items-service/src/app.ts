/** Builds the service: settings in, a ready-to-listen `M8App` out. Used by `main.ts` and the tests. */
import { bootstrap, type M8App, type StartupValidator } from '@m8/core';
import { HealthConfig } from '@m8/health';
import { metrics } from '@m8/metrics';
import { openapi } from '@m8/openapi';
import { AdminController } from './api/admin';
import { ItemsController } from './api/items';
import type { Settings } from './core/config';
import { buildDeps, type Deps } from './core/deps';

export const SERVICE_VERSION = '0.1.0';

export async function createApp(settings: Settings): Promise<M8App<Settings>> {
  const deps = await buildDeps(settings);
  return bootstrap(settings, {
    controllers: [ItemsController, AdminController],
    serviceName: 'items-service',
    serviceVersion: SERVICE_VERSION,
    // Set up in this order, closed in reverse: auth is closed before the database is disposed.
    // Docs follow SET_OPEN_API/SET_DOCS/SET_REDOC (off in production); metrics follow METRICS_ENABLED.
    plugins: [
      deps.db,
      deps.auth,
      // A stateful consumer also reports whether its issuer's jti-status endpoint answers.
      new HealthConfig({ checks: [deps.db.asHealthCheck('database'), ...(settings.checksRevocation ? [deps.auth.asHealthCheck('issuer')] : [])] }),
      openapi(),
      ...(settings.METRICS_ENABLED ? [metrics()] : []),
    ],
    startupValidators: [databaseAnswers(deps), localSchema(deps, settings)],
  });
}

function databaseAnswers(deps: Deps): StartupValidator {
  return async function databaseAnswers() {
    const result = await deps.db.healthCheck();
    if (result.status !== 'ok') throw new Error(`the database does not answer: ${result.error}`);
  };
}

/** In `local`, the schema follows the entities; elsewhere it is a deployment step (see README). */
function localSchema(deps: Deps, settings: Settings): StartupValidator {
  return async function localSchema() {
    if (settings.ENVIRONMENT === 'local') await deps.db.updateSchema();
  };
}
