/** `createDbEngine()`: settings → driver → MikroORM → `DbEngine`. */
import { MikroORM, type Options } from '@mikro-orm/core';
import { SettingsError } from '@m8/core';
import { DbEngine } from './db-engine';
import { DRIVERS, loadDriver } from './drivers';
import { buildOrmOptions, type CreateDbEngineOptions, type DbSettings } from './orm-options';
import { EmScope } from './request-scope';
import { scrubCredentials, urlSecrets } from './scrub';

const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 2_000;

/**
 * Creates the database engine `SELECTED_DB` asks for. Fails early and readably: missing `DB_*`
 * settings → one `SettingsError` listing them all; driver package missing → `DbDriverMissingError`
 * with the install command. An unreachable database does not fail creation (the pool connects
 * lazily; `healthCheck()` and `m8-prestart` report it).
 *
 * @example
 * const engine = await createDbEngine(settings, { entities: [ItemSchema] });
 * await engine.updateSchema();  // local mode: create the tables
 * const app = await bootstrap(settings, { controllers, plugins: [engine, buildAuthDeps(settings)] });
 */
export async function createDbEngine(settings: DbSettings, options: CreateDbEngineOptions = {}): Promise<DbEngine> {
  const selected = settings.SELECTED_DB;
  const info = DRIVERS[selected];
  if (info === undefined) {
    throw new SettingsError([{ name: 'SELECTED_DB', problem: `must be one of ${Object.keys(DRIVERS).join(', ')}` }], 'database settings');
  }
  const scope = new EmScope();
  const ormOptions = buildOrmOptions(settings, options, options.driver ?? loadDriver(selected), scope.resolve);
  const secrets = urlSecrets(settings.databaseUrl, settings.DB_PASSWORD);
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(ormOptions);
  } catch (error) {
    // Driver and discovery errors may quote the connection URL: mask it before it reaches a log.
    if (error instanceof Error) error.message = scrubCredentials(error.message, secrets);
    throw error;
  }
  scope.attach(orm.em);
  return new DbEngine({
    orm,
    scope,
    driver: info.label,
    secrets,
    healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
    environment: settings.ENVIRONMENT,
  });
}

/**
 * The MikroORM options `createDbEngine()` would use, for tools that build their own MikroORM: the
 * MikroORM CLI (`mikro-orm.config.ts`: migrations, seeders), scripts. Same driver, naming
 * (`TABLES_PREFIX`), pool and timeouts; the global EntityManager is allowed, since a CLI process
 * serves no requests.
 *
 * @example
 * // mikro-orm.config.ts
 * export default ormConfig(loadSettings(), { entities: [Item], extensions: [Migrator] });
 */
export function ormConfig(settings: DbSettings, options: CreateDbEngineOptions = {}): Options {
  const driver = options.driver ?? loadDriver(settings.SELECTED_DB);
  // MikroORM's own default `context` (its RequestContext) replaces the engine's request scope.
  const { context: _engineScope, ...config } = buildOrmOptions(settings, options, driver, () => undefined);
  return { ...config, allowGlobalContext: true };
}
