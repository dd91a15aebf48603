/**
 * @m8/db: MikroORM for m8 services (PostgreSQL, MySQL/MariaDB, embedded SQLite): a request-scoped
 * EntityManager, a health check, pool disposal at shutdown, and the `m8-prestart` wait.
 */
export { createDbEngine, ormConfig } from './create-db-engine';
export { DbEngine, withRequestScope } from './db-engine';
export type { SchemaSyncOptions, SchemaSyncReport } from './schema-sync';
export type { CreateDbEngineOptions, DbPoolOptions, DbSettings } from './orm-options';
export { sqliteLocation } from './orm-options';
export type { DbHealthCheck, DbHealthCheckOptions, DbHealthResult } from './health';
export { TablePrefixNamingStrategy } from './naming';
export { DRIVERS, installCommand, MIKRO_ORM_VERSION } from './drivers';
export { scrubCredentials } from './scrub';
export { DbDisposedError, DbScopeError, DbUnavailableError, DbDriverMissingError, DbDeadlineError, DbOptionsError, DestructiveSchemaRefusedError } from './errors';
export type { DbErrorCode } from './errors';
export { PrestartConfigError } from './prestart-source';
export {
  DbUnavailableProblem,
  DbUniqueViolationProblem,
  DbForeignKeyViolationProblem,
  DbConstraintViolationProblem,
  DbNotNullViolationProblem,
  DbCheckViolationProblem,
  DB_RETRY_AFTER_SECONDS,
  dbErrorTranslation,
  translateDbError,
} from './db-problems';
export { waitForDatabase } from './wait-for-database';
export type { HealthCheckable, WaitForDatabaseOptions, WaitForDatabaseResult } from './wait-for-database';
export { runPrestart } from './prestart';
export type { PrestartIo, PrestartOptions } from './prestart';
